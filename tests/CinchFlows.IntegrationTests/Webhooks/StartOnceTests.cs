using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using CinchFlows.DurableHub;
using CinchFlows.Web.Webhooks;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.IntegrationTests.Webhooks;

/// <summary>
/// A start for a flow that exists is answered like the first and never replaces the running flow (docs/engine.md, "A
/// start never replaces a flow"): through the real host on Azurite, with signed webhooks.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StartOnceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_second_flag_for_the_call_and_a_redelivery_without_its_receipt_are_answered_like_the_first_and_change_nothing()
    {
        var hub = azurite.NewTaskHub();
        await using var app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub);
        var call = "call-once-" + Guid.NewGuid().ToString("N")[..8];
        var id = "medical-" + call;
        var firstId = "msg_" + Guid.NewGuid().ToString("N");
        var flagged = TelephonyHostedApp.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = call, agentId = "agent-first", customerId = "cust-first" });

        using var first = await app.PostWebhookAsync(flagged, firstId);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var answer = await first.Content.ReadAsStringAsync();
        var waiting = await app.WaitForAsync(id, i => i.SerializedCustomStatus?.Contains("\"phase\":\"WaitingForConnect\"", StringComparison.Ordinal) == true, "to wait for the transfer");
        var history = await HistoryAsync(app, id);

        // Another flag for the same call (a new delivery, other data), and the first delivery again after its receipt
        // was lost: each looks new to the receipts, so only the start itself can keep the flow as it is.
        using var second = await app.PostWebhookAsync(
            TelephonyHostedApp.Event(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = call, agentId = "agent-second", customerId = "cust-second" }),
            "msg_" + Guid.NewGuid().ToString("N"));
        var receipts = new TableClient(azurite.ConnectionString, hub + "WebhookReceipts");
        await receipts.DeleteEntityAsync(TableWebhookReceiptStore.PartitionKeyOf(firstId), TableWebhookReceiptStore.RowKeyOf(firstId));
        using var redelivered = await app.PostWebhookAsync(flagged, firstId);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (second.StatusCode, redelivered.StatusCode));
        Assert.Equal(answer, await second.Content.ReadAsStringAsync());
        Assert.Equal(answer, await redelivered.Content.ReadAsStringAsync());
        var now = await app.Durable.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal((waiting.CreatedAt, waiting.SerializedInput, OrchestrationRuntimeStatus.Running), (now!.CreatedAt, now.SerializedInput, now.RuntimeStatus));
        Assert.Equal(history, await HistoryAsync(app, id));

        // Driven to its end, the flow is still the first one: one start, its input, its history before the repeats.
        using var connected = await app.PostWebhookAsync(
            TelephonyHostedApp.Event(TelephonyEventTypes.TransferConnected, new { callId = call, targetExtension = "69187" }),
            "msg_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.Accepted, connected.StatusCode);
        var done = await app.WaitForAsync(id, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "to complete");
        Assert.Equal((waiting.CreatedAt, waiting.SerializedInput), (done.CreatedAt, done.SerializedInput));
        Assert.Contains("\"outcome\":\"Connected\"", done.SerializedOutput, StringComparison.Ordinal);
        Assert.Contains("\"attempts\":1", done.SerializedOutput, StringComparison.Ordinal);
        var final = await HistoryAsync(app, id);
        Assert.Equal(history, final.Take(history.Count));
        Assert.Single(final, e => e.StartsWith("ExecutionStarted", StringComparison.Ordinal));
    }

    /// <summary>The instance's history events as the backend keeps them (type, id and time each), oldest first.</summary>
    private static async Task<List<string>> HistoryAsync(TelephonyHostedApp app, string instanceId) =>
        [.. (await app.Services.GetRequiredService<HubHistory>().GetAsync(instanceId, CancellationToken.None))
            .Select(e => $"{e["EventType"]} {e["EventId"]} {e["Timestamp"]} {JsonSerializer.Serialize(e["Name"])}")];
}
