using System.Text.Json.Nodes;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator.Demo;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>
/// What the demo prints and the ops page shows: the notifications a flow sent, read from its history through the
/// management API, are exactly those on the local storage queues.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class FlowNotificationsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ConnectedCall_HistoryListsThePromptAndTheHandoffNote_AsOnTheQueues()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var answering = host.AnswerTransfers();
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-n", "cust-n");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        await host.OutputAsync(id);
        var queued = await host.Inbox.WaitForAsync("handoff-notes", m => m.CorrelationId == id, "the handoff note");

        var listed = await ListedAsync(host, id);

        Assert.Equal(["agent.prompt.medical-emergency", "handoff.note"], listed.Select(n => n.Subject).Order());
        Assert.All(listed, n => Assert.Equal(("sent", 1), (n.Status, n.Tries)));
        var note = Assert.Single(listed, n => n.Topic == "HandoffNotes");
        Assert.Equal((queued.MessageId, queued.BodyText), (note.MessageId, note.Body!.ToJsonString()));
        Assert.Equal(queued.ApplicationProperties["callId"], (string?)note.Properties!["callId"]);
    }

    [Fact]
    public async Task UnansweredCall_HistoryListsTheSupervisorAlert_AsOnTheQueues()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01" });
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-s", "cust-s");
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        await host.OutputAsync(id);
        var queued = await host.Inbox.WaitForAsync("supervisor-notifications", m => m.CorrelationId == id, "the supervisor alert");

        var alert = Assert.Single(await ListedAsync(host, id), n => n.Subject == "medical-transfer.not-connected");

        Assert.Equal(("SupervisorNotifications", "sent", queued.MessageId), (alert.Topic, alert.Status, alert.MessageId));
        Assert.Equal(queued.BodyText, alert.Body!.ToJsonString());
        Assert.Equal("callback-" + id, (string?)alert.Body["callbackId"]);
    }

    private static async Task<IReadOnlyList<SentNotification>> ListedAsync(CallCenterHost host, string id)
    {
        var status = JsonNode.Parse((await host.StatusAsync(id)).GetRawText())!;
        return FlowNotifications.FromHistory(status["historyEvents"] as JsonArray);
    }
}
