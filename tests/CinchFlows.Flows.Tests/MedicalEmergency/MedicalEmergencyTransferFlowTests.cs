using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Flows.Tests.MedicalEmergency;

/// <summary>F1 end to end on the in-memory Durable Task host, started and driven through <see cref="CallCenterFlowClient"/>.</summary>
public sealed class MedicalEmergencyTransferFlowTests
{
    [Fact]
    public async Task ConnectedFirstTry_HandsOverTheNote_AndARedeliveredFlagStartsNothingNew()
    {
        await using var host = await FlowTestHost.StartAsync();
        var start = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-1", "agent-7", "cust-9", null), default);
        Assert.Equal(("medical-call-1", true), (start.InstanceId, start.Created));
        await Waiting.UntilAsync(() => host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count == 1, "the warm transfer");
        await host.UntilPhaseAsync(start.InstanceId, "WaitingForConnect");

        // The custom status and input keep the flows' JSON (camelCase, enums as strings) through the SDK's converter.
        var running = await host.GetAsync(start.InstanceId);
        Assert.Equal(FlowNames.MedicalEmergencyTransfer, running.Name);
        Assert.Contains("\"phase\":\"WaitingForConnect\"", running.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.Contains("\"callId\":\"call-1\"", running.SerializedInput, StringComparison.Ordinal);
        Assert.DoesNotContain("serviceRequestId", running.SerializedInput, StringComparison.Ordinal);

        var again = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-1", "agent-7", "cust-9", null), default);
        Assert.Equal(("medical-call-1", false), (again.InstanceId, again.Created));

        var delivery = await host.Flows.SendToCallAsync("call-1", FlowEvents.TransferConnected, new TransferConnected("call-1", "69187"), default);
        Assert.Equal(["medical-call-1"], delivery.Delivered);
        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>(start.InstanceId);

        Assert.Equal((TransferScenario.NeedsService, TransferOutcome.Connected, 1, true), (output.Scenario, output.Outcome, output.Attempts, output.HandoffDelivered));
        Assert.Contains("\"outcome\":\"Connected\"", (await host.GetAsync(start.InstanceId)).SerializedOutput, StringComparison.Ordinal);
        var handoff = Assert.Single(host.Notifications.On(NotificationTopic.HandoffNotes));
        Assert.Equal("medical-call-1:handoff-note", handoff.MessageId);
        Assert.Single(host.Notifications.On(NotificationTopic.AgentPrompts));
        Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType));
        Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.AgentPromptType));

        // Finished: known, no longer delivered.
        var late = await host.Flows.SendToCallAsync("call-1", FlowEvents.CallEnded, new CallEnded("call-1"), default);
        Assert.Equal((0, "medical-call-1"), (late.Delivered.Count, late.PrimaryId));
    }

    [Fact]
    public async Task Scenario2_StartsTheSeverityEscalation_WhichTakesTheJobsEvents()
    {
        await using var host = await FlowTestHost.StartAsync();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-2", "agent-7", "cust-9", "SR-100"), default);
        const string escalationId = "escalation-SR-100-medical-emergency@call-2";
        await host.UntilPhaseAsync(escalationId, "WaitingForAcknowledgement");

        var escalation = await host.GetAsync(escalationId);
        Assert.Equal((FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Running), (escalation.Name, escalation.RuntimeStatus));
        Assert.Equal("medical-call-2", FlowJson.Deserialize<SeverityEscalationInput>(escalation.SerializedInput)!.SourceFlowId);
        var severity = Assert.Single(host.Notifications.On(NotificationTopic.ClaimsSeverity));
        Assert.Equal(("MedicalEmergency", "SR-100"), (severity.Properties["severity"], severity.Properties["serviceJobId"]));
        Assert.Equal("ClaimsSpecialist", Assert.Single(host.Notifications.On(NotificationTopic.Escalations)).Properties["route"]);

        var changed = await host.Flows.SendToServiceJobAsync("SR-100", FlowEvents.SeverityChanged, new SeverityChanged("SR-100", EscalationSeverity.MedicalEmergency), default);
        Assert.Equal([escalationId], changed.Delivered);

        await host.Flows.SendToCallAsync("call-2", FlowEvents.TransferConnected, new TransferConnected("call-2", "69187"), default);
        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-2");
        Assert.Equal((TransferScenario.ServiceRequestInProgress, escalationId), (output.Scenario, output.SeverityEscalationId));
    }

    [Fact]
    public async Task NeverConnects_AlertsTheSupervisor_AndTheHighPriorityCallbackFlowOpensItsTask()
    {
        await using var host = await FlowTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01",
            ["Flows:MedicalEmergency:TransferAttempts"] = "2",
            ["Flows:MedicalEmergency:CustomerServiceExtension"] = "70000",
        });
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-3", "agent-7", "cust-9", null), default);

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-3");

        Assert.Equal((TransferOutcome.NotConnected, 2, "callback-medical-call-3"), (output.Outcome, output.Attempts, output.CallbackId));
        Assert.Equal(["medical-call-3:transfer:1", "medical-call-3:transfer:2"], host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Select(c => c.IdempotencyKey));
        Assert.All(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType), c => Assert.Equal("70000", c.TargetExtension));
        Assert.Single(host.Notifications.WithSubject("medical-transfer.not-connected"));
        await Waiting.UntilAsync(async () => await host.Callbacks.GetAsync("callback-medical-call-3", default) is not null, "the callback task");
        var callback = await host.Callbacks.GetAsync("callback-medical-call-3", default);
        Assert.Equal((CallbackStatus.Open, CallbackPriority.High, CallbackReason.MedicalTransferFailed, "call-3"), (callback!.Status, callback.Priority, callback.Reason, callback.CallId));
        Assert.Equal(FlowNames.SupervisorCallback, (await host.GetAsync("callback-medical-call-3")).Name);
        await Waiting.UntilAsync(() => host.Notifications.WithSubject("callback.claim-requested").Count == 1, "the claim request");
        Assert.StartsWith("HIGH PRIORITY", host.Notifications.WithSubject("callback.claim-requested")[0].Body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndeliverableHandoffNote_FailsItsStepOnce_AndTheFlowGoesOnSayingSo()
    {
        await using var host = await FlowTestHost.StartAsync();
        host.Notifications.RejectAsUndeliverable("handoff.note");
        var start = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-u", "agent-7", "cust-9", null), default);
        await host.UntilPhaseAsync(start.InstanceId, "WaitingForConnect");
        await host.Flows.SendToCallAsync("call-u", FlowEvents.TransferConnected, new TransferConnected("call-u", "69187"), default);

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>(start.InstanceId);

        Assert.Equal((TransferOutcome.Connected, false), (output.Outcome, output.HandoffDelivered));
        // Not retried (the same setup without the exception type is tried 4 times: the next test).
        Assert.Single(host.Notifications.Attempts, n => n.Subject == "handoff.note");
    }

    [Fact]
    public async Task FailingNotification_IsTriedEveryAttempt_ThenTheFlowGoesOn()
    {
        await using var host = await FlowTestHost.StartAsync();
        host.Notifications.AlwaysFail("handoff.note");
        var start = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-f", "agent-7", "cust-9", null), default);
        await host.UntilPhaseAsync(start.InstanceId, "WaitingForConnect");
        await host.Flows.SendToCallAsync("call-f", FlowEvents.TransferConnected, new TransferConnected("call-f", "69187"), default);

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>(start.InstanceId);

        Assert.False(output.HandoffDelivered);
        var tries = host.Notifications.Attempts.Where(n => n.Subject == "handoff.note").ToList();
        Assert.Equal(4, tries.Count);
        Assert.All(tries, n => Assert.Equal("medical-call-f:handoff-note", n.MessageId));
    }

    [Fact]
    public async Task FailingCommands_AreRetriedWithTheSameIdempotencyKey_AndActedOnOnce()
    {
        await using var host = await FlowTestHost.StartAsync();
        host.Telephony.FailNext(2);
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-7", "agent-7", "cust-9", null), default);

        // The prompt goes first: it fails twice, then goes through on the third try (the SDK's retry policy).
        await Waiting.UntilAsync(() => host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count == 1, "the warm transfer");
        var prompts = host.Telephony.Attempts.Where(c => c.Type == TelephonyCommand.AgentPromptType).ToList();
        Assert.Equal(3, prompts.Count);
        Assert.All(prompts, c => Assert.Equal("medical-call-7:agent-prompt", c.IdempotencyKey));
        Assert.Single(host.Telephony.Acted, c => c.Type == TelephonyCommand.AgentPromptType);
    }

    [Fact]
    public async Task NothingStoredOrSent_MentionsTheCondition()
    {
        // The flow takes no free text in, so none can come out; this pins that inputs, statuses, outputs and history stay generic.
        await using var host = await FlowTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:01",
            ["Flows:MedicalEmergency:TransferAttempts"] = "1",
        });
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-10", "agent-7", "cust-9", "SR-1"), default);
        await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-10");
        await host.UntilPhaseAsync("callback-medical-call-10", "WaitingForClaim");
        await host.UntilPhaseAsync("escalation-SR-1-medical-emergency@call-10", "WaitingForAcknowledgement");

        var everything = await host.EverythingStoredAsync() + string.Join('\n', host.Notifications.Published.Select(RecordingPublisher.Text));
        Assert.Contains("Medical Emergency or High-Risk Situation", everything, StringComparison.Ordinal);
        foreach (var word in new[] { "diagnos", "symptom", "\"condition\"", "\"notes\"" })
        {
            Assert.DoesNotContain(word, everything, StringComparison.OrdinalIgnoreCase);
        }
    }
}
