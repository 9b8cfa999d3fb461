using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>
/// The three flows end to end over real HTTP and Azurite (notifications on its storage queues), driven by signed webhooks from the simulated
/// telephony platform, which also receives the flows' commands. Timeouts are set to seconds where waiting would be slow.
/// </summary>
[Collection(CallCenterCollection.Name)]
public sealed class CallCenterEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Scenario1_NeedsService_PromptTransferConnectHandoff()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var answering = host.AnswerTransfers();
        var call = NewId("call");

        using var response = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-1", "cust-1");
        var id = await AcceptedIdAsync(response);

        Assert.Equal($"medical-{call}", id);
        var output = await host.OutputAsync(id);
        Assert.Equal("NeedsService", output.GetProperty("scenario").GetString());
        Assert.Equal("Connected", output.GetProperty("outcome").GetString());
        Assert.Equal(1, output.GetProperty("attempts").GetInt32());
        Assert.True(output.GetProperty("secondsToConnect").GetDouble() is > 0 and < 30);
        Assert.True(output.GetProperty("handoffDelivered").GetBoolean());

        var prompt = Assert.Single(host.Receiver.Acted, c => c.Type == "agent.prompt" && c.CallId == call);
        Assert.Equal(("agent-1", "medical-emergency"), (prompt.AgentId, prompt.Script));
        var transfer = Assert.Single(host.Receiver.Acted, c => c.Type == "transfer.warm" && c.CallId == call);
        Assert.Equal(("69187", $"{id}:transfer:1"), (transfer.TargetExtension, transfer.IdempotencyKey));
        var handoff = await host.Inbox.WaitForAsync("handoff-notes", m => (string?)m.ApplicationProperties["flowId"] == id, "the handoff note");
        Assert.Equal(("handoff.note", $"{id}:handoff-note", "application/json"), (handoff.Subject, handoff.MessageId, handoff.ContentType));
        Assert.Equal(call, handoff.ApplicationProperties["callId"]);
        Assert.Contains("needs service and has disclosed a Medical Emergency", handoff.Json.GetProperty("note").GetString(), StringComparison.Ordinal);
        await host.Inbox.WaitForAsync("agent-prompts", m => (string?)m.ApplicationProperties["flowId"] == id, "the agent prompt");
    }

    [Fact]
    public async Task Scenario2_ServiceRequestInProgress_SeverityConfirmedAndAcknowledged()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var answering = host.AnswerTransfers();
        var call = NewId("call");
        var job = NewId("SR");

        using var flagged = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-2", "cust-2", job);
        var id = await AcceptedIdAsync(flagged);
        var output = await host.OutputAsync(id);

        Assert.Equal("ServiceRequestInProgress", output.GetProperty("scenario").GetString());
        var escalationId = output.GetProperty("severityEscalationId").GetString()!;
        Assert.Equal($"escalation-{job}-medical-emergency@{call}", escalationId);
        var severity = await host.Inbox.WaitForAsync("claims-severity", m => (string?)m.ApplicationProperties["serviceJobId"] == job, "the severity change");
        Assert.Equal(("severity.set", "MedicalEmergency"), (severity.Subject, severity.ApplicationProperties["severity"]));
        var note = Assert.Single(host.Receiver.Acted, c => c.Type == "transfer.warm" && c.CallId == call).Note;
        Assert.Contains($"already has service request {job} in process", note, StringComparison.Ordinal);

        // The claims system confirms the severity; the Claims Specialist group acknowledges.
        using var confirmed = await host.Webhooks.SeverityChangedAsync(job, "MedicalEmergency");
        Assert.Equal(escalationId, await AcceptedIdAsync(confirmed));
        using var ack = await host.SendAsync(HttpMethod.Post, $"/api/escalations/{escalationId}/acknowledge", new { by = "claims-lead-1" }, TestTokens.Person("claims-lead-1", "Supervisor"));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        var escalation = await host.OutputAsync(escalationId);
        Assert.Equal(("ClaimsSpecialist", "MedicalEmergency", "claims-lead-1"), (escalation.GetProperty("route").GetString(), escalation.GetProperty("severity").GetString(), escalation.GetProperty("acknowledgedBy").GetString()));
    }

    [Fact]
    public async Task TransferNeverConnects_RetriesAlertsTheSupervisorAndOpensACallback()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01" });
        var call = NewId("call");

        using var response = await host.Webhooks.MedicalEmergencyFlaggedAsync(call, "agent-3", "cust-3");
        var id = await AcceptedIdAsync(response);
        var output = await host.OutputAsync(id);

        Assert.Equal(("NotConnected", 3), (output.GetProperty("outcome").GetString(), output.GetProperty("attempts").GetInt32()));
        Assert.Equal(
            [$"{id}:transfer:1", $"{id}:transfer:2", $"{id}:transfer:3"],
            host.Receiver.Acted.Where(c => c.Type == "transfer.warm" && c.CallId == call).Select(c => c.IdempotencyKey));
        var callbackId = output.GetProperty("callbackId").GetString()!;
        Assert.Equal($"callback-medical-{call}", callbackId);
        var alert = await host.Inbox.WaitForAsync("supervisor-notifications", m => m.Subject == "medical-transfer.not-connected" && (string?)m.ApplicationProperties["flowId"] == id, "the supervisor alert");
        Assert.Equal(callbackId, alert.Json.GetProperty("callbackId").GetString());
        await Eventually.WaitUntilAsync(async () => (await host.CallbackAsync(callbackId)).ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "the callback task");
        var task = await host.CallbackAsync(callbackId);
        Assert.Equal(("open", "High", call), (task.GetProperty("status").GetString(), task.GetProperty("priority").GetString(), task.GetProperty("callId").GetString()));
        await host.Inbox.WaitForAsync("callback-tasks", m => (string?)m.ApplicationProperties["flowId"] == callbackId, "the call back task");
    }

    [Fact]
    public async Task SupervisorAvailable_CallIsWarmTransferredToThem()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        using var answering = host.AnswerTransfers("69100");
        var call = NewId("call");

        using var response = await host.Webhooks.SupervisorRequestedAsync(call, "agent-4", "cust-4", supervisorAvailable: true);
        var id = await AcceptedIdAsync(response);
        var output = await host.OutputAsync(id);

        Assert.Equal("TransferredToSupervisor", output.GetProperty("outcome").GetString());
        Assert.Single(host.Receiver.Acted, c => c.Type == "transfer.warm" && c.CallId == call && c.TargetExtension == "69100");
        Assert.Equal(JsonValueKind.Undefined, (await host.CallbackAsync(id)).ValueKind);
    }

    [Fact]
    public async Task NoSupervisor_ClaimTimesOut_ManagerIsTold_ClaimsAndCompletes()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Flows:SupervisorCallback:ClaimTimeout"] = "00:00:02",
            ["Flows:SupervisorCallback:NotificationsPerTier"] = "1",
        });
        var call = NewId("call");

        using var response = await host.Webhooks.SupervisorRequestedAsync(call, "agent-5", "cust-5", supervisorAvailable: false);
        var id = await AcceptedIdAsync(response);
        await host.Inbox.WaitForAsync("supervisor-notifications", m => (string?)m.ApplicationProperties["flowId"] == id && (string?)m.ApplicationProperties["tier"] == "manager", "the manager's notice");

        using var claim = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", new { supervisorId = "mgr-1" }, TestTokens.Person("mgr-1", "Supervisor"));
        using var rival = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", new { supervisorId = "sup-2" }, TestTokens.Person("sup-2", "Supervisor"));
        await host.WaitForStatusAsync(id, "Running");
        await Eventually.WaitUntilAsync(async () => (await host.StatusAsync(id)).GetProperty("customStatus").GetProperty("phase").GetString() == "WaitingForCompletion", TimeSpan.FromSeconds(30), "the flow to see the claim");
        using var complete = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/complete", new { supervisorId = "mgr-1", outcome = "resolved" }, TestTokens.Person("mgr-1", "Supervisor"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.OK), (claim.StatusCode, rival.StatusCode, complete.StatusCode));
        var output = await host.OutputAsync(id);
        Assert.Equal(("Completed", "mgr-1", id), (output.GetProperty("outcome").GetString(), output.GetProperty("claimedBy").GetString(), output.GetProperty("callbackId").GetString()));
        Assert.Equal(["supervisor", "manager"], output.GetProperty("tiersNotified").EnumerateArray().Select(t => t.GetString()).Take(2));
        Assert.Equal("completed", (await host.CallbackAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CompletionDeadlineMissed_IsBreachedAndOpsAreAlerted()
    {
        await using var host = await CallCenterHost.StartAsync(azurite, new Dictionary<string, string?> { ["Flows:SupervisorCallback:CompletionDeadline"] = "00:00:01" });
        var call = NewId("call");
        using var response = await host.Webhooks.SupervisorRequestedAsync(call, "agent-6", "cust-6", supervisorAvailable: false);
        var id = await AcceptedIdAsync(response);
        await Eventually.WaitUntilAsync(async () => (await host.CallbackAsync(id)).ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "the callback task");

        using var claim = await host.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", new { supervisorId = "sup-6" }, TestTokens.Person("sup-6", "Supervisor"));
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);

        var output = await host.OutputAsync(id);
        Assert.Equal(("Breached", "sup-6"), (output.GetProperty("outcome").GetString(), output.GetProperty("claimedBy").GetString()));
        var alert = await host.Inbox.WaitForAsync("ops-alerts", m => (string?)m.ApplicationProperties["flowId"] == id, "the ops alert");
        Assert.Equal("callback.completion-breached", alert.Subject);
        Assert.Equal("breached", (await host.CallbackAsync(id)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("failure-to-act", "general", "customer", "CustomerServiceEscalations")]
    [InlineData("medical-emergency", "worsened-by-failure", "customer", "ClaimsSpecialist")]
    [InlineData("safety-risk", "threats-or-harassment", "serviceProfessional", "PotentialRisk")]
    [InlineData("media-contact", "customer-contacted-media", "media", "MediaPolicy")]
    [InlineData("legal-contact", "attorney-on-behalf", "attorney", "Legal")]
    public async Task EachEscalationRoute_IsRoutedAndAcknowledged(string reason, string subReason, string role, string route)
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var job = NewId("JOB");

        using var response = await host.Webhooks.EscalationRaisedAsync(job, reason, subReason, "agent-7", role);
        var id = await AcceptedIdAsync(response);
        var routed = await host.Inbox.WaitForAsync("escalations", m => (string?)m.ApplicationProperties["flowId"] == id, "the routed escalation");
        using var ack = await host.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", new { by = "lead-7" }, TestTokens.Person("lead-7", "Supervisor"));
        var output = await host.OutputAsync(id);

        Assert.Equal(("escalation.routed", route), (routed.Subject, routed.ApplicationProperties["route"]));
        Assert.Equal(route == "Legal", routed.BodyText.Contains("legal@cinchhs.com", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal((route, "lead-7"), (output.GetProperty("route").GetString(), output.GetProperty("acknowledgedBy").GetString()));
    }

    [Fact]
    public async Task UnknownEscalationReason_Is400_AndStartsNothing()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var job = NewId("JOB");

        using var response = await host.Webhooks.EscalationRaisedAsync(job, "failure-to-act", "police-contacted", "agent-8", "customer");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Undefined, (await host.StatusAsync($"escalation-{job}-failure-to-act")).ValueKind);
    }

    [Fact]
    public async Task ForgedStaleAndReplayedWebhooks_ChangeNothing()
    {
        await using var host = await CallCenterHost.StartAsync(azurite);
        var call = NewId("call");
        var body = host.Webhooks.BuildEvent(PlatformEventTypes.MedicalEmergencyFlagged, new JsonObject { ["callId"] = call, ["agentId"] = "a", ["customerId"] = "c" }, "evt-1", DateTimeOffset.UtcNow);

        // Forged: signed with a secret the service does not hold.
        using var forger = new WebhookSender(host.Http.BaseAddress!, "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("not the platform's secret")));
        using var forged = await forger.SendRawAsync(body, forger.SignatureHeaders("msg_forged", DateTimeOffset.UtcNow, body));
        // Stale: properly signed, six minutes old.
        using var stale = await host.Webhooks.SendRawAsync(body, host.Webhooks.SignatureHeaders("msg_stale", DateTimeOffset.UtcNow.AddMinutes(-6), body));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(JsonValueKind.Undefined, (await host.StatusAsync($"medical-{call}")).ValueKind);

        // Replayed: the same webhook-id again is answered as the first time and starts nothing new.
        var headers = host.Webhooks.SignatureHeaders("msg_replayed_" + call, DateTimeOffset.UtcNow, body);
        using var first = await host.Webhooks.SendRawAsync(body, headers);
        using var replay = await host.Webhooks.SendRawAsync(body, headers);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, replay.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        await host.Receiver.WaitForAsync(c => c.Type == "transfer.warm" && c.CallId == call, TimeSpan.FromSeconds(30));
        var history = (await host.StatusAsync($"medical-{call}")).GetProperty("historyEvents");
        Assert.Single(history.EnumerateArray(), e => e.GetProperty("eventType").GetString() == "ExecutionStarted");
        Assert.Single(host.Receiver.Acted, c => c.Type == "agent.prompt" && c.CallId == call);
    }

    internal static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    internal static async Task<string> AcceptedIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }
}
