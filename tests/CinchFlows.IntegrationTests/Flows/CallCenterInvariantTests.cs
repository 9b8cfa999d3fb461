using System.Net;
using System.Text.Json.Nodes;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>The guarantees FLOWS.md and DESIGN.md make, checked against everything a real run wrote and sent.</summary>
[Collection(CallCenterCollection.Name)]
public sealed class CallCenterInvariantTests(AzuriteFixture azurite)
{
    private const string LegalAddress = "legal@cinchhs.com";

    [Fact]
    public async Task NoStoredRowOrPublishedMessage_HoldsMedicalFreeText()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01" });
        var marker = "MARKER" + Guid.NewGuid().ToString("N")[..8];
        var call = CallCenterEndToEndTests.NewId("call");
        var job = CallCenterEndToEndTests.NewId("SR");

        // A medical-emergency event with free text is refused outright.
        foreach (var field in new[] { "condition", "notes", "details", "description", "diagnosis", "symptoms" })
        {
            using var refused = await host.Webhooks.SendAsync(
                PlatformEventTypes.MedicalEmergencyFlagged,
                new JsonObject { ["callId"] = call, ["agentId"] = "a", ["customerId"] = "c", ["serviceRequestId"] = job, [field] = $"{marker} insulin-dependent diabetic" });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.DoesNotContain(marker, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // On every other event, free text is dropped; the flows run their whole course (not connected → callback; escalation tiers).
        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-9", "cust-9", job);
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(flagged);
        await host.WaitForStatusAsync($"escalation-{job}-medical-emergency@{call}", "Running");
        using var failed = await host.Webhooks.SendAsync(PlatformEventTypes.TransferFailed, new JsonObject { ["callId"] = call, ["targetExtension"] = "69187", ["reason"] = "busy", ["notes"] = marker });
        using var changed = await host.Webhooks.SendAsync(PlatformEventTypes.SeverityChanged, new JsonObject { ["serviceJobId"] = job, ["severity"] = "MedicalEmergency", ["description"] = marker });
        using var raised = await host.Webhooks.SendAsync(PlatformEventTypes.EscalationRaised, new JsonObject
        {
            ["serviceJobId"] = job, ["reason"] = "safety-risk", ["subReason"] = "unsafe", ["raisedBy"] = "agent-9", ["contactRole"] = "customer", ["details"] = marker, ["symptoms"] = marker,
        });
        using var supervisor = await host.Webhooks.SendAsync(PlatformEventTypes.SupervisorRequested, new JsonObject
        {
            ["callId"] = call, ["agentId"] = "agent-9", ["customerId"] = "cust-9", ["supervisorAvailable"] = false, ["comment"] = marker,
        });
        Assert.All(new[] { failed, changed, raised, supervisor }, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        var output = await host.OutputAsync(id);
        Assert.Equal("NotConnected", output.GetProperty("outcome").GetString());
        await host.Inbox.WaitForAsync("callback-tasks", m => (string?)m.ApplicationProperties["flowId"] == $"callback-call-{call}", "the supervisor callback's task");
        await host.Inbox.WaitForAsync("escalations", m => (string?)m.ApplicationProperties["route"] == "PotentialRisk", "the risk escalation");

        var stored = await host.EverythingStoredAsync();
        var published = string.Join('\n', (await host.Inbox.AllAsync()).Select(m => m.Message.BodyText + " " + string.Join(',', m.Message.ApplicationProperties.Values)));
        var commands = string.Join('\n', host.Receiver.Received.Select(c => c.RawJson));
        Assert.Contains(id, stored, StringComparison.Ordinal);
        Assert.NotEmpty(published);
        foreach (var (what, text) in new[] { ("a stored row", stored), ("a published message", published), ("a telephony command", commands) })
        {
            Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{what} holds the free text");
            Assert.False(text.Contains("diabetic", StringComparison.OrdinalIgnoreCase), $"{what} holds the condition");
        }
    }

    [Fact]
    public async Task LegalContactAddress_AppearsOnlyInLegalRouteMessages()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Flows:Escalation:AcknowledgeTimeout"] = "00:00:01",
            ["Flows:Escalation:OpsReminders"] = "1",
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01",
        });
        var job = CallCenterEndToEndTests.NewId("JOB");
        using var answering = host.AnswerTransfers();

        using var legal = await host.Webhooks.EscalationRaisedAsync(job, "legal-contact", "attorney-on-behalf", "agent-1", "attorney");
        using var complaint = await host.Webhooks.EscalationRaisedAsync(job, "coverage-decision", "general", "agent-1", "customer");
        using var media = await host.Webhooks.EscalationRaisedAsync(job, "media-contact", "reporter-contact", "agent-1", "media");
        using var medical = await host.Webhooks.MedicalEmergencyFlaggedAsync(CallCenterEndToEndTests.NewId("call"), "agent-1", "cust-1", job);
        var legalId = await CallCenterEndToEndTests.AcceptedIdAsync(legal);
        await CallCenterEndToEndTests.AcceptedIdAsync(complaint);
        await CallCenterEndToEndTests.AcceptedIdAsync(media);
        var medicalId = await CallCenterEndToEndTests.AcceptedIdAsync(medical);

        // Every tier of the legal escalation and every other flow's messages, to the end (the medical flow's prompt
        // too: it was started last and, on a loaded machine, can still be on its way when the escalations end).
        await host.OutputAsync(legalId);
        await host.OutputAsync($"escalation-{job}-coverage-decision");
        await host.OutputAsync(medicalId);
        await host.Inbox.WaitForAsync("agent-prompts", m => (string?)m.ApplicationProperties["flowId"] == medicalId, "the medical flow's agent prompt");

        var withAddress = (await host.Inbox.AllAsync()).Where(m => m.Message.BodyText.Contains(LegalAddress, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, withAddress.Count); // routed to the group, then the supervisor, then the manager
        Assert.All(withAddress, m =>
        {
            Assert.Equal("escalations", m.Topic);
            Assert.Equal("Legal", m.Message.ApplicationProperties["route"]);
        });
        Assert.DoesNotContain(host.Receiver.Received, c => c.RawJson.Contains(LegalAddress, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedeliveredWebhook_RetriedCommand_AndRestartedWorker_NeverTransferTwice()
    {
        // A work item the stopped worker had taken but not finished (a command in flight) comes back to the new worker
        // after the message visibility timeout: 10 s here, the least the engine allows, rather than the minute of production.
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:03",
            ["Durable:MessageVisibilityTimeout"] = "00:00:10",
        });
        var call = CallCenterEndToEndTests.NewId("call");
        var body = host.Webhooks.BuildEvent(PlatformEventTypes.MedicalEmergencyFlagged, new JsonObject { ["callId"] = call, ["agentId"] = "a", ["customerId"] = "c" }, "evt-" + call, DateTimeOffset.UtcNow);
        var headers = host.Webhooks.SignatureHeaders("msg_" + call, DateTimeOffset.UtcNow, body);

        // Once the agent is prompted, the platform fails the next two deliveries (the warm transfer), so the command
        // activity retries with the same key.
        using var failTransfer = host.Receiver.OnActed((command, _) =>
        {
            if (command.Type == "agent.prompt" && command.CallId == call)
            {
                host.Receiver.FailNext(2);
            }

            return Task.CompletedTask;
        });
        using var first = await host.Webhooks.SendRawAsync(body, headers);
        using var redelivered = await host.Webhooks.SendRawAsync(body, headers);
        var id = await CallCenterEndToEndTests.AcceptedIdAsync(first);
        await host.Receiver.WaitForAsync(c => c.Type == "transfer.warm" && c.CallId == call && c.Outcome == DeliveryOutcome.Acted, TimeSpan.FromSeconds(30));

        // The worker dies while the flow waits for the connection; a new one takes over on the same storage.
        await host.RestartAsync();
        using var redeliveredAfterRestart = await host.Webhooks.SendRawAsync(body, host.Webhooks.SignatureHeaders("msg_" + call, DateTimeOffset.UtcNow, body));
        var output = await host.OutputAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redeliveredAfterRestart.StatusCode);
        Assert.Equal("NotConnected", output.GetProperty("outcome").GetString());
        var transfers = host.Receiver.Received.Where(c => c.Type == "transfer.warm" && c.CallId == call).ToList();
        Assert.Contains(transfers, c => c.Outcome == DeliveryOutcome.Failed);
        var acted = transfers.Where(c => c.Outcome == DeliveryOutcome.Acted).Select(c => c.IdempotencyKey).ToList();
        Assert.Equal([$"{id}:transfer:1", $"{id}:transfer:2", $"{id}:transfer:3"], acted);
        Assert.Empty(host.Receiver.HandlerErrors);
    }
}
