using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.DurableHub;
using CinchFlows.Flows;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Versioning;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.IntegrationTests.Replay;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>
/// A deploy of a flow change with flows in flight (docs/flows.md, "Changing a flow"), on Azurite through the standalone
/// host: F2 version 2.0 adds a step (<c>escalation.acknowledged</c>). The build before it is this build pinned to 1.0
/// (<c>Durable:Version</c>): it starts flows on 1.0 and runs nothing newer, through the same worker options, hub adapter
/// and flow code as production; the 1.0 way is F2's branch for versions before 2.0.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class FlowVersioningTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task FlowsInFlight_FinishTheirOwnVersionsWay_AfterADeployOfANewVersion_AndAnOldWorkerTakesNoNewerFlow()
    {
        var settings = new Dictionary<string, string?> { ["Durable:Version"] = FlowVersions.V1 };
        await using var host = await CallCenterHost.StartAsync(azurite, settings);

        // Deployed: version 1.0. Two escalations start on it and wait for an acknowledgement.
        var onV1 = new[] { await RaiseAsync(host), await RaiseAsync(host) };
        foreach (var id in onV1)
        {
            Assert.Equal(FlowVersions.V1, (await WaitingForAcknowledgementAsync(host, id)).GetProperty("customStatus").GetProperty("version").GetString());
        }

        // A worker already on 2.0 starts a flow on the shared task hub while only this 1.0 worker runs: it is not taken.
        var job = CallCenterEndToEndTests.NewId("JOB");
        var startedElsewhere = BusinessKeys.SeverityEscalation(job, "service-delay");
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        await client.ScheduleNewOrchestrationInstanceAsync(
            FlowNames.SeverityEscalation,
            new SeverityEscalationInput(job, "service-delay", "general", "agent-9", ContactRole.Customer, null, null),
            new StartOrchestrationOptions(startedElsewhere) { Version = FlowVersions.V2 });
        var counters = host.Services.GetRequiredService<EngineCounters>();
        await Eventually.WaitUntilAsync(() => Task.FromResult(counters.NewerVersionsHandedBack > 0), TimeSpan.FromSeconds(30), "the 1.0 worker to hand the 2.0 flow back");
        var untouched = await host.StatusAsync(startedElsewhere);
        Assert.Equal("Pending", untouched.GetProperty("runtimeStatus").GetString());
        Assert.Empty(untouched.GetProperty("historyEvents").EnumerateArray());

        // Deploy 2.0: the same flows in flight, the new build (no pin: the newest version it knows).
        settings.Remove("Durable:Version");
        await host.RestartAsync();
        var onV2 = new[] { await RaiseAsync(host), startedElsewhere };
        foreach (var id in onV2)
        {
            Assert.Equal(FlowVersions.V2, (await WaitingForAcknowledgementAsync(host, id, TimeSpan.FromSeconds(45))).GetProperty("customStatus").GetProperty("version").GetString());
        }

        var all = onV1.Concat(onV2).ToList();
        foreach (var (id, lead) in all.Select((id, i) => (id, $"lead-{i}")))
        {
            using var ack = await host.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", new { by = lead }, TestTokens.Person(lead, "Supervisor"));
            Assert.True(ack.IsSuccessStatusCode, $"acknowledge {id}: {(int)ack.StatusCode} {await ack.Content.ReadAsStringAsync()}");
        }

        foreach (var (id, lead) in all.Select((id, i) => (id, $"lead-{i}")))
        {
            Assert.Equal(lead, (await host.OutputAsync(id)).GetProperty("acknowledgedBy").GetString());
        }

        // 2.0 flows tell the tiers who acknowledged; 1.0 flows finish the 1.0 way (their flows completed after any notice they sent).
        foreach (var id in onV2)
        {
            var notice = await host.Inbox.WaitForAsync("escalations", m => m.Subject == "escalation.acknowledged" && (string?)m.ApplicationProperties["flowId"] == id, $"the acknowledged notice of {id}");
            Assert.Equal($"{id}:acknowledged", notice.MessageId);
        }

        var sent = await host.Inbox.AllAsync();
        Assert.DoesNotContain(sent, m => m.Message.Subject == "escalation.acknowledged" && onV1.Contains((string?)m.Message.ApplicationProperties["flowId"]));
        foreach (var id in all)
        {
            Assert.Contains(sent, m => m.Message.Subject == "escalation.routed" && (string?)m.Message.ApplicationProperties["flowId"] == id);
        }

        // The replay check on the histories just recorded: the current code replays both versions' flows exactly ...
        var histories = new List<(string Id, JsonObject History)>();
        foreach (var id in all)
        {
            histories.Add((id, await ExportAsync(host, id)));
        }

        var watch = Stopwatch.StartNew();
        var verdicts = histories.Select(h => HistoryReplay.Replay(h.Id, h.History, CurrentFlows.Find)).ToList();
        output.WriteLine($"replayed {verdicts.Count} histories ({verdicts.Sum(v => v.Events)} events) in {watch.ElapsedMilliseconds} ms");
        Assert.All(verdicts, v => Assert.True(v.Replays, v.ToString()));
        Assert.Equal([FlowVersions.V1, FlowVersions.V1, FlowVersions.V2, FlowVersions.V2], verdicts.Select(v => v.Version));

        // ... and catches the careless deploy: version 2.0's step without its version check breaks every 1.0 flow, not the 2.0 ones.
        var unguarded = histories.Select(h => HistoryReplay.Replay(h.Id, h.History, name => Unguarded(CurrentFlows.Find(name)))).ToList();
        Assert.All(unguarded.Take(2), v => Assert.Contains("#", v.Problem ?? "replays", StringComparison.Ordinal));
        Assert.All(unguarded.Take(2), v => Assert.Contains(nameof(CinchFlows.Flows.Notifications.PublishNotificationActivity), v.Problem!, StringComparison.Ordinal));
        Assert.All(unguarded.Skip(2), v => Assert.True(v.Replays, v.ToString()));
    }

    private static ChangedFlow? Unguarded(ITaskOrchestrator? flow) =>
        flow is null ? null : new ChangedFlow(flow, (context, run) => run(new VersionClaimingContext(context, FlowVersions.Latest)));

    private static async Task<string> RaiseAsync(CallCenterHost host)
    {
        using var response = await host.Webhooks.EscalationRaisedAsync(CallCenterEndToEndTests.NewId("JOB"), "service-delay", "general", "agent-9", "customer");
        return await CallCenterEndToEndTests.AcceptedIdAsync(response);
    }

    private static async Task<JsonElement> WaitingForAcknowledgementAsync(CallCenterHost host, string id, TimeSpan? timeout = null)
    {
        JsonElement last = default;
        await Eventually.WaitUntilAsync(
            async () => (last = await host.StatusAsync(id)).ValueKind == JsonValueKind.Object
                && last.TryGetProperty("customStatus", out var status) && status.ValueKind == JsonValueKind.Object
                && status.GetProperty("phase").GetString() == "WaitingForAcknowledgement",
            timeout ?? TimeSpan.FromSeconds(30),
            $"{id} to wait for an acknowledgement (last: {host.LastStatusAnswer})");
        return last;
    }

    private static async Task<JsonObject> ExportAsync(CallCenterHost host, string id)
    {
        using var response = await host.SendAsync(HttpMethod.Get, $"/api/instances/{id}?showHistory=true");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
