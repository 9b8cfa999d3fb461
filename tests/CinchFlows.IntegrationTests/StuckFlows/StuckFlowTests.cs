using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using CinchFlows.IntegrationTests.Flows;
using CinchFlows.IntegrationTests.Http;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.StuckFlows;

/// <summary>
/// The stuck-flow check and its repair on the real app over Azurite. The stuck state is the one a crash between the
/// backend's two writes leaves (Azure/durabletask issue 1252): a flow's history ended while its status row still says
/// Running. The test runs a flow to its end and then writes that row state back, as the crash would have left it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StuckFlowTests(AzuriteFixture azurite)
{
    // Actions need a person: on-call Ana repairs as herself (an ops person's token).
    private static readonly string Ana = TestTokens.Person("oncall-ana", "Ops");

    private const string OpsAlertsTopic = "ops-alerts";

    [Fact]
    public async Task A_flow_whose_history_ended_while_its_row_says_Running_is_found_alerted_once_and_repaired_on_confirmation()
    {
        var taskHub = azurite.NewTaskHub();
        var alerts = "s" + Guid.NewGuid().ToString("N")[..12] + "-ops-alerts";
        using var inbox = new QueueInbox(azurite.ConnectionString, new Dictionary<string, string> { [OpsAlertsTopic] = alerts });
        var log = new LogRecorder();
        await using var app = await HostedApp.StartAsync(
            azurite.ConnectionString,
            taskHub,
            new Dictionary<string, string?>
            {
                ["StuckFlows:QuietFor"] = "00:00:01",
                ["StuckFlows:Interval"] = "00:00:01",
                ["Notifications:Transport"] = "storage-queue",
                ["Notifications:Topics:OpsAlerts"] = alerts,
                ["Logging:LogLevel:CinchFlows.Web.StuckFlows"] = "Information",
            },
            log);

        const string id = "appr-stuck";
        await app.StartAsync("ApprovalOrchestration", id, """{"customer":"c-stuck"}""");
        await app.WaitForStatusAsync(id, "Running");
        using (var raise = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/raiseEvent/Approve", """{"by":"ops-1"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, raise.StatusCode);
        }

        var finished = await app.WaitForStatusAsync(id, "Completed");
        var output = finished.GetProperty("output").GetRawText();
        await LeaveRowAsACrashWouldAsync(taskHub, id);
        Assert.Equal("Running", (await app.GetStatusAsync(id)).Body.GetProperty("runtimeStatus").GetString());

        // On demand: the check finds it and says why and what to do.
        JsonElement finding = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                var report = await StuckFlowsAsync(app);
                finding = report.GetProperty("findings").EnumerateArray().FirstOrDefault(f => f.GetProperty("instanceId").GetString() == id);
                return finding.ValueKind == JsonValueKind.Object;
            },
            TimeSpan.FromSeconds(30),
            "the stuck-flow check to find the flow");
        Assert.Equal("EndedButShownRunning", finding.GetProperty("kind").GetString());
        Assert.Equal("Running", finding.GetProperty("runtimeStatus").GetString());
        Assert.Equal("Completed", finding.GetProperty("historyStatus").GetString());
        Assert.True(finding.GetProperty("repairable").GetBoolean());
        Assert.Contains("/repair", finding.GetProperty("whatToDo").GetString(), StringComparison.Ordinal);

        // On schedule: ops are told once, however many checks find it again.
        var alert = await inbox.WaitForAsync(OpsAlertsTopic, m => m.Subject == "flow.stuck", "the stuck-flow alert");
        Assert.Equal($"stuck:{id}:EndedButShownRunning", alert.MessageId);
        Assert.Equal(id, alert.ApplicationProperties["flowId"]);
        var checksBefore = Checks(log);
        await Eventually.WaitUntilAsync(() => Task.FromResult(Checks(log) >= checksBefore + 3), TimeSpan.FromSeconds(30), "three more scheduled checks");
        Assert.Single(await inbox.AllAsync(), m => m.Message.Subject == "flow.stuck");

        // Never a silent rewrite: without confirmation and a name nothing changes.
        using (var unconfirmed = await app.SendAsync(HttpMethod.Post, $"/api/ops/stuck-flows/{id}/repair", """{"by":"oncall-ana"}""", Ana))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        }

        Assert.Equal("Running", (await app.GetStatusAsync(id)).Body.GetProperty("runtimeStatus").GetString());

        using (var repair = await app.SendAsync(HttpMethod.Post, $"/api/ops/stuck-flows/{id}/repair", """{"confirm":true,"by":"oncall-ana"}""", Ana))
        {
            Assert.Equal(HttpStatusCode.OK, repair.StatusCode);
            var body = await repair.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Running", body.GetProperty("from").GetString());
            Assert.Equal("Completed", body.GetProperty("runtimeStatus").GetString());
            Assert.Equal("oncall-ana", body.GetProperty("repairedBy").GetString());
        }

        var (code, repaired) = await app.GetStatusAsync(id);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Completed", repaired.GetProperty("runtimeStatus").GetString());
        Assert.Equal(output, repaired.GetProperty("output").GetRawText());

        var ledger = new TableClient(azurite.ConnectionString, taskHub + "StuckFlows");
        var record = (await ledger.GetEntityAsync<TableEntity>(id, "repair")).Value;
        Assert.Equal("oncall-ana", record.GetString("By"));
        Assert.Equal("Completed", record.GetString("To"));

        // Once repaired there is nothing left to find or repair.
        var after = await StuckFlowsAsync(app);
        Assert.DoesNotContain(after.GetProperty("findings").EnumerateArray(), f => f.GetProperty("instanceId").GetString() == id);
        using var again = await app.SendAsync(HttpMethod.Post, $"/api/ops/stuck-flows/{id}/repair", """{"confirm":true,"by":"oncall-ana"}""", Ana);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_flow_still_waiting_is_neither_found_nor_repaired()
    {
        await using var app = await HostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub(), new Dictionary<string, string?>
        {
            ["StuckFlows:QuietFor"] = "00:00:01",
            ["StuckFlows:Enabled"] = "false",
        });
        const string id = "appr-waiting";
        await app.StartAsync("ApprovalOrchestration", id, """{"customer":"c-wait"}""");
        var running = await app.WaitForStatusAsync(id, "Running");
        var quietSince = running.GetProperty("lastUpdatedTime").GetDateTimeOffset();

        // Once it has been quiet past QuietFor the check reads its history: it waits for an event, with no deadline.
        JsonElement report = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                report = await StuckFlowsAsync(app);
                return report.GetProperty("checkedTime").GetDateTimeOffset() > quietSince.AddSeconds(1) && report.GetProperty("looked").GetInt32() >= 1;
            },
            TimeSpan.FromSeconds(30),
            "a check that looked at the quiet flow");
        Assert.Empty(report.GetProperty("findings").EnumerateArray());

        using var repair = await app.SendAsync(HttpMethod.Post, $"/api/ops/stuck-flows/{id}/repair", """{"confirm":true,"by":"oncall-ana"}""", Ana);
        Assert.Equal(HttpStatusCode.Conflict, repair.StatusCode);
        Assert.Equal("Running", (await app.GetStatusAsync(id)).Body.GetProperty("runtimeStatus").GetString());

        using var unknown = await app.SendAsync(HttpMethod.Post, "/api/ops/stuck-flows/no-such-flow/repair", """{"confirm":true,"by":"oncall-ana"}""", Ana);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var invalid = await app.SendAsync(HttpMethod.Post, "/api/ops/stuck-flows/bad%20id/repair", """{"confirm":true,"by":"oncall-ana"}""", Ana);
        Assert.Equal(HttpStatusCode.NotFound, invalid.StatusCode);
        using var supervisor = await app.SendAsync(HttpMethod.Get, "/api/ops/stuck-flows", key: HostedApp.SupervisorKey);
        Assert.Equal(HttpStatusCode.Forbidden, supervisor.StatusCode);
    }

    /// <summary>What a crash between the history write and the status write leaves: the row as it was while running.</summary>
    private async Task LeaveRowAsACrashWouldAsync(string taskHub, string instanceId)
    {
        var instances = new TableClient(azurite.ConnectionString, taskHub + "Instances");
        var row = (await instances.GetEntityAsync<TableEntity>(instanceId, string.Empty)).Value;
        row["RuntimeStatus"] = "Running";
        row["Output"] = null;
        row["CompletedTime"] = null;
        await instances.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }

    /// <summary>Scheduled checks that found the flow (their log line, event 3102, counts the stuck ones).</summary>
    private static int Checks(LogRecorder log) => log.Lines.Count(l => l.EventId == 3102 && !l.Message.Contains(", 0 stuck", StringComparison.Ordinal));

    private static async Task<JsonElement> StuckFlowsAsync(HostedApp app)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/stuck-flows");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
