using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Tests.Support;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>What each telephony event does (docs/api.md §1): which flow it starts or which flow gets the event, and the 202 it answers.</summary>
public sealed class TelephonyWebhookEffectsTests : IAsyncLifetime
{
    private WebhookTestApp app = null!;

    public async Task InitializeAsync() => app = await WebhookTestApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Medical_emergency_flagged_without_a_service_request_starts_F1_for_scenario_1()
    {
        var payload = await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-m1", agentId = "agent-7", customerId = "cust-9" });

        Assert.Equal("medical-call-m1", payload.GetProperty("id").GetString());
        var instance = await app.Durable.GetInstanceAsync("medical-call-m1", getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(FlowNames.MedicalEmergencyTransfer, instance.Name);
        Assert.Equal(new MedicalEmergencyTransferInput("call-m1", "agent-7", "cust-9", null), instance.ReadInputAs<MedicalEmergencyTransferInput>());
    }

    [Fact]
    public async Task Medical_emergency_flagged_with_a_service_request_starts_F1_for_scenario_2()
    {
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-m2", agentId = "agent-7", customerId = "cust-9", serviceRequestId = "sr-42" });

        var instance = await app.Durable.GetInstanceAsync("medical-call-m2", getInputsAndOutputs: true);
        Assert.Equal("sr-42", instance!.ReadInputAs<MedicalEmergencyTransferInput>()!.ServiceRequestId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Supervisor_requested_starts_F3_for_the_call(bool available)
    {
        var callId = available ? "call-s1" : "call-s2";

        var payload = await app.PostEventAsync(TelephonyEventTypes.SupervisorRequested, new { callId, agentId = "agent-1", customerId = "cust-1", supervisorAvailable = available });

        Assert.Equal(Flows.BusinessKeys.SupervisorCallback(callId), payload.GetProperty("id").GetString());
        var instance = await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback(callId), getInputsAndOutputs: true);
        Assert.Equal(FlowNames.SupervisorCallback, instance!.Name);
        var input = instance.ReadInputAs<SupervisorCallbackInput>()!;
        Assert.Equal(("cust-1", callId, "agent-1", available, CallbackReason.SupervisorRequested, "call"), (input.CustomerId, input.CallId, input.AgentId, input.SupervisorAvailable, input.Reason, input.Channel));
    }

    [Fact]
    public async Task Escalation_raised_starts_F2_with_every_field()
    {
        var payload = await app.PostEventAsync(TelephonyEventTypes.EscalationRaised, new
        {
            serviceJobId = "job-1",
            reason = "safety-risk",
            subReason = "police-contacted",
            raisedBy = "agent-3",
            contactRole = "serviceProfessional",
            severity = "Critical",
            provider = new { providerId = "prov-5", timeZone = "America/Chicago", phone = "+15555550100" },
        });

        Assert.Equal("escalation-job-1-safety-risk", payload.GetProperty("id").GetString());
        var instance = await app.Durable.GetInstanceAsync("escalation-job-1-safety-risk", getInputsAndOutputs: true);
        Assert.Equal(FlowNames.SeverityEscalation, instance!.Name);
        var input = instance.ReadInputAs<SeverityEscalationInput>()!;
        Assert.Equal(("job-1", "safety-risk", "police-contacted", "agent-3"), (input.ServiceJobId, input.Reason, input.SubReason, input.RaisedBy));
        Assert.Equal(ContactRole.ServiceProfessional, input.ContactRole);
        Assert.Equal(EscalationSeverity.Critical, input.Severity);
        Assert.Equal(new ServiceProviderContact("prov-5", "America/Chicago", "+15555550100"), input.Provider);
    }

    [Theory]
    [InlineData("medicalEmergency", EscalationSeverity.MedicalEmergency)]
    [InlineData("MEDICALEMERGENCY", EscalationSeverity.MedicalEmergency)]
    [InlineData("high", EscalationSeverity.High)]
    public async Task Severity_names_are_accepted_in_any_case(string written, EscalationSeverity expected)
    {
        var job = "job-case-" + expected;
        await app.PostEventAsync(TelephonyEventTypes.EscalationRaised, new { serviceJobId = job, reason = "medical-emergency", subReason = "disclosed", raisedBy = "a", contactRole = "customer", severity = written });

        var instance = await app.Durable.GetInstanceAsync($"escalation-{job}-medical-emergency", getInputsAndOutputs: true);
        Assert.Equal(expected, instance!.ReadInputAs<SeverityEscalationInput>()!.Severity);
    }

    [Fact]
    public async Task Escalation_without_severity_or_provider_leaves_them_null()
    {
        await app.PostEventAsync(TelephonyEventTypes.EscalationRaised, new { serviceJobId = "job-2", reason = "legal-contact", subReason = "attorney-on-behalf", raisedBy = "agent-3", contactRole = "attorney" });

        var input = (await app.Durable.GetInstanceAsync("escalation-job-2-legal-contact", getInputsAndOutputs: true))!.ReadInputAs<SeverityEscalationInput>()!;
        Assert.Null(input.Severity);
        Assert.Null(input.Provider);
        Assert.Equal(ContactRole.Attorney, input.ContactRole);
    }

    [Theory]
    [InlineData(TelephonyEventTypes.TransferConnected, FlowEvents.TransferConnected)]
    [InlineData(TelephonyEventTypes.TransferFailed, FlowEvents.TransferFailed)]
    [InlineData(TelephonyEventTypes.CallEnded, FlowEvents.CallEnded)]
    public async Task Call_events_reach_the_flow_of_the_call(string type, string eventName)
    {
        var callId = "call-ev-" + eventName;
        await app.PostEventAsync(TelephonyEventTypes.SupervisorRequested, new { callId, agentId = "agent-1", customerId = "cust-1", supervisorAvailable = false });

        // An event for a flow still Pending is a 503 "send it again shortly" (docs/flows.md): the platform's retry, not this test's subject.
        await Waiting.UntilAsync(
            async () => (await app.Durable.GetInstanceAsync(Flows.BusinessKeys.SupervisorCallback(callId)))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running,
            $"callback-{callId} to run");
        var payload = await app.PostEventAsync(type, new { callId, targetExtension = "69187", reason = "busy" });

        Assert.Equal(Flows.BusinessKeys.SupervisorCallback(callId), payload.GetProperty("id").GetString());
        await Waiting.UntilAsync(
            async () => (await app.HistoryAsync(Flows.BusinessKeys.SupervisorCallback(callId))).Raised(eventName).Any(),
            $"{eventName} in the history of callback-{callId}");
    }

    [Fact]
    public async Task A_transfer_event_carries_only_the_known_fields()
    {
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-t1", agentId = "agent-7", customerId = "cust-9" });

        await app.PostEventAsync(TelephonyEventTypes.TransferFailed, new { callId = "call-t1", targetExtension = "69187", reason = "no-answer", transcript = "DROPPED-TRANSCRIPT" });

        JsonObject? raised = null;
        await Waiting.UntilAsync(
            async () => (raised = (await app.HistoryAsync("medical-call-t1")).Raised(FlowEvents.TransferFailed).FirstOrDefault()) is not null,
            "the TransferFailed event in F1's history");
        Assert.Equal(new TransferFailed("call-t1", "69187", "no-answer"), FlowJson.Deserialize<TransferFailed>(raised!.Input()));
        Assert.DoesNotContain("DROPPED-TRANSCRIPT", await app.DumpStoreAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_reason_that_is_not_a_short_code_is_kept_as_unspecified_and_the_echoed_key_is_kept()
    {
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-t2", agentId = "agent-7", customerId = "cust-9" });

        await app.PostEventAsync(TelephonyEventTypes.TransferFailed, new { callId = "call-t2", targetExtension = "69187", reason = "caller said chest pain getting worse", idempotencyKey = "medical-call-t2:transfer:1" });

        JsonObject? raised = null;
        await Waiting.UntilAsync(
            async () => (raised = (await app.HistoryAsync("medical-call-t2")).Raised(FlowEvents.TransferFailed).FirstOrDefault()) is not null,
            "the TransferFailed event in F1's history");
        Assert.Equal(new TransferFailed("call-t2", "69187", "unspecified", "medical-call-t2:transfer:1"), FlowJson.Deserialize<TransferFailed>(raised!.Input()));
        Assert.DoesNotContain("chest pain", await app.DumpStoreAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transfer_failure_without_a_reason_is_still_delivered()
    {
        await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-t2", agentId = "agent-7", customerId = "cust-9" });

        var payload = await app.PostEventAsync(TelephonyEventTypes.TransferFailed, new { callId = "call-t2", targetExtension = "69187" });

        Assert.Equal("medical-call-t2", payload.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Severity_changed_reaches_the_escalation_of_the_job()
    {
        await app.PostEventAsync(TelephonyEventTypes.EscalationRaised, new { serviceJobId = "job-sev", reason = "service-delay", subReason = "general", raisedBy = "agent-3", contactRole = "customer" });

        var payload = await app.PostEventAsync(TelephonyEventTypes.SeverityChanged, new { serviceJobId = "job-sev", severity = "MedicalEmergency" });

        Assert.Equal("escalation-job-sev-service-delay", payload.GetProperty("id").GetString());
        JsonObject? raised = null;
        await Waiting.UntilAsync(
            async () => (raised = (await app.HistoryAsync("escalation-job-sev-service-delay")).Raised(FlowEvents.SeverityChanged).FirstOrDefault()) is not null,
            "the SeverityChanged event in F2's history");
        Assert.Equal(new SeverityChanged("job-sev", EscalationSeverity.MedicalEmergency), FlowJson.Deserialize<SeverityChanged>(raised!.Input()));
    }

    [Theory]
    [InlineData(TelephonyEventTypes.TransferConnected)]
    [InlineData(TelephonyEventTypes.TransferFailed)]
    [InlineData(TelephonyEventTypes.CallEnded)]
    public async Task An_event_for_a_call_without_a_flow_is_a_404(string type)
    {
        var problem = await app.PostEventAsync(type, new { callId = "call-nobody", targetExtension = "69187" }, expectedStatus: 404);

        Assert.Contains("call-nobody", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Severity_changed_for_a_job_without_an_escalation_is_a_404()
    {
        var problem = await app.PostEventAsync(TelephonyEventTypes.SeverityChanged, new { serviceJobId = "job-nobody", severity = "High" }, expectedStatus: 404);

        Assert.Contains("job-nobody", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_202_carries_the_management_payload_and_Location()
    {
        using var response = await app.PostAsync(WebhookRequests.Event(TelephonyEventTypes.SupervisorRequested, new { callId = "call-p1", agentId = "a", customerId = "c", supervisorAvailable = true }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var payload = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var status = new Uri(app.BaseAddress, "/api/instances/" + Flows.BusinessKeys.SupervisorCallback("call-p1")).ToString();
        Assert.Equal(status, response.Headers.Location?.ToString());
        Assert.Equal(Flows.BusinessKeys.SupervisorCallback("call-p1"), payload.GetProperty("id").GetString());
        Assert.Equal(status, payload.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal($"{status}/raiseEvent/{{eventName}}", payload.GetProperty("sendEventPostUri").GetString());
        Assert.Equal($"{status}/terminate?reason={{text}}", payload.GetProperty("terminatePostUri").GetString());
        Assert.Equal($"{status}/suspend?reason={{text}}", payload.GetProperty("suspendPostUri").GetString());
        Assert.Equal($"{status}/resume?reason={{text}}", payload.GetProperty("resumePostUri").GetString());
        Assert.Equal(status, payload.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal(7, payload.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_second_webhook_for_the_same_call_starts_nothing_new()
    {
        var first = await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-twice", agentId = "agent-first", customerId = "cust-9" });
        var second = await app.PostEventAsync(TelephonyEventTypes.MedicalEmergencyFlagged, new { callId = "call-twice", agentId = "agent-second", customerId = "cust-9" });

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        var input = (await app.Durable.GetInstanceAsync("medical-call-twice", getInputsAndOutputs: true))!.ReadInputAs<MedicalEmergencyTransferInput>()!;
        Assert.Equal("agent-first", input.AgentId);
    }

    [Fact]
    public async Task The_log_names_the_webhook_type_and_outcome()
    {
        var id = WebhookRequests.NewId();

        await app.PostEventAsync(TelephonyEventTypes.SupervisorRequested, new { callId = "call-log", agentId = "agent-1", customerId = "cust-1", supervisorAvailable = true }, webhookId: id);

        Assert.Contains(app.Logs.Lines, line => line.Contains(id, StringComparison.Ordinal)
            && line.Contains(TelephonyEventTypes.SupervisorRequested, StringComparison.Ordinal)
            && line.Contains("started", StringComparison.Ordinal));
    }
}
