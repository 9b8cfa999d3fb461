using CinchFlows.Durable;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Escalations;
using CinchFlows.Flows.Events;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SupervisorCallbacks;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.MedicalEmergency;

public sealed class MedicalEmergencyTransferTests
{
    [Fact]
    public async Task Scenario1_PromptsTheAgentTransfersToCustomerServiceAndHandsOverTheNote()
    {
        await using var host = new FlowTestHost();
        var start = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-1", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();

        Assert.Equal("medical-call-1", start.InstanceId);
        var prompt = Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.AgentPromptType));
        Assert.Equal(("call-1", "agent-7", "medical-emergency"), (prompt.CallId, prompt.AgentId, prompt.Script));
        Assert.Single(host.Notifications.On(NotificationTopic.AgentPrompts));
        var transfer = Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType));
        Assert.Equal(("call-1", "69187", "medical-call-1:transfer:1"), (transfer.CallId, transfer.TargetExtension, transfer.IdempotencyKey));
        Assert.Contains("needs service and has disclosed a Medical Emergency or High-Risk Situation", transfer.Note, StringComparison.Ordinal);
        var status = await host.StatusAsync(start.InstanceId);
        Assert.Equal("WaitingForConnect", status.Phase);
        Assert.Equal("waiting for Customer Service (x69187) to answer, attempt 1 of 3, since 15:00:00 UTC", status.Text);

        await host.AdvanceAsync(TimeSpan.FromSeconds(42), TimeSpan.FromSeconds(42));
        var delivery = await host.Flows.SendToCallAsync("call-1", FlowEvents.TransferConnected, new TransferConnected("call-1", "69187"), default);
        await host.RunUntilIdleAsync();

        Assert.Equal(["medical-call-1"], delivery.Delivered);
        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>(start.InstanceId);
        Assert.Equal(new MedicalEmergencyTransferOutput(TransferScenario.NeedsService, TransferOutcome.Connected, 1, 42, null, null, true), output);
        var handoff = Assert.Single(host.Notifications.On(NotificationTopic.HandoffNotes));
        Assert.Equal("handoff.note", handoff.Subject);
        Assert.Equal("medical-call-1:handoff-note", handoff.MessageId);
        Assert.Equal("call-1", handoff.Properties["callId"]);
        Assert.Equal("medical-call-1", handoff.Properties["flowId"]);
        Assert.Contains("needs service", handoff.Body.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Notifications.On(NotificationTopic.ClaimsSeverity));
    }

    [Fact]
    public async Task Scenario2_StartsTheSeverityEscalationAndTellsCustomerServiceToSetMedicalEmergency()
    {
        await using var host = new FlowTestHost();
        var start = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-2", "agent-7", "cust-9", "SR-100"), default);
        await host.RunUntilIdleAsync();
        await host.Flows.SendToCallAsync("call-2", FlowEvents.TransferConnected, new TransferConnected("call-2", "69187"), default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>(start.InstanceId);
        Assert.Equal(TransferScenario.ServiceRequestInProgress, output.Scenario);
        Assert.Equal(TransferOutcome.Connected, output.Outcome);
        Assert.Equal("escalation-SR-100-medical-emergency@call-2", output.SeverityEscalationId);
        var note = Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType)).Note;
        Assert.Contains("already has service request SR-100 in process", note, StringComparison.Ordinal);
        Assert.Contains("severity of their claim is set to Medical Emergency so that a Claims Specialist", note, StringComparison.Ordinal);

        var escalation = await host.GetAsync(output.SeverityEscalationId!);
        Assert.Equal(FlowNames.SeverityEscalation, escalation.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Running, escalation.RuntimeStatus);
        var severity = Assert.Single(host.Notifications.On(NotificationTopic.ClaimsSeverity));
        Assert.Equal("MedicalEmergency", severity.Properties["severity"]);
        Assert.Equal("SR-100", severity.Properties["serviceJobId"]);
        var routed = Assert.Single(host.Notifications.On(NotificationTopic.Escalations));
        Assert.Equal("ClaimsSpecialist", routed.Properties["route"]);
    }

    [Fact]
    public async Task TransferThatNeverConnects_RetriesThenAlertsTheSupervisorAndOpensAHighPriorityCallback()
    {
        await using var host = new FlowTestHost();
        var start = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-3", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("waiting for Customer Service (x69187) to answer, attempt 2 of 3, since 15:02:00 UTC", (await host.StatusAsync(start.InstanceId)).Text);
        await host.AdvanceAsync(TimeSpan.FromMinutes(4));

        var transfers = host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType);
        Assert.Equal(["medical-call-3:transfer:1", "medical-call-3:transfer:2", "medical-call-3:transfer:3"], transfers.Select(t => t.IdempotencyKey));
        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>(start.InstanceId);
        Assert.Equal(TransferOutcome.NotConnected, output.Outcome);
        Assert.Equal(3, output.Attempts);
        Assert.Null(output.SecondsToConnect);
        Assert.False(output.HandoffDelivered);
        Assert.Equal("callback-medical-call-3", output.CallbackId);

        var alert = Assert.Single(host.Notifications.WithSubject("medical-transfer.not-connected"));
        Assert.Equal(NotificationTopic.SupervisorNotifications, alert.Topic);
        var callback = await host.Callbacks.GetAsync("callback-medical-call-3", default);
        Assert.NotNull(callback);
        Assert.Equal((CallbackStatus.Open, CallbackPriority.High, CallbackReason.MedicalTransferFailed, "call-3"), (callback.Status, callback.Priority, callback.Reason, callback.CallId));
        Assert.Contains(host.Notifications.On(NotificationTopic.SupervisorNotifications), n => n.Subject == "callback.claim-requested" && n.Body.GetProperty("text").GetString()!.StartsWith("HIGH PRIORITY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransferFailed_TriesAgainAtOnce()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-4", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();

        await host.Flows.SendToCallAsync("call-4", FlowEvents.TransferFailed, new TransferFailed("call-4", "69187", "busy"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(2, host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count);

        await host.Flows.SendToCallAsync("call-4", FlowEvents.TransferConnected, new TransferConnected("call-4", "x69187"), default);
        await host.RunUntilIdleAsync();
        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-4");
        Assert.Equal((TransferOutcome.Connected, 2), (output.Outcome, output.Attempts));
    }

    [Fact]
    public async Task CallEnded_StopsTransferringAndOpensTheCallback()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-5", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();

        await host.Flows.SendToCallAsync("call-5", FlowEvents.CallEnded, new CallEnded("call-5"), default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-5");
        Assert.Equal((TransferOutcome.NotConnected, 1, "callback-medical-call-5"), (output.Outcome, output.Attempts, output.CallbackId));
        Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType));
    }

    [Fact]
    public async Task ConnectedToAnotherExtension_IsNotTakenForCustomerService()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-6", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();

        await host.Flows.SendToCallAsync("call-6", FlowEvents.TransferConnected, new TransferConnected("call-6", "69100"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("medical-call-6")).RuntimeStatus);

        await host.Flows.SendToCallAsync("call-6", FlowEvents.TransferConnected, new TransferConnected("call-6", "69187"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(TransferOutcome.Connected, (await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-6")).Outcome);
    }

    [Fact]
    public async Task FailingCommands_AreRetriedWithTheSameIdempotencyKey_AndActedOnOnce()
    {
        await using var host = new FlowTestHost();
        host.Telephony.FailNext(0);
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-7", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        // The second attempt's command fails twice, then goes through on the third try (back-off 2 s, 4 s).
        host.Telephony.FailNext(2);
        await host.AdvanceAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));

        var keys = host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(["medical-call-7:transfer:1", "medical-call-7:transfer:2"], keys);
        Assert.Equal(keys.Count, host.Telephony.Sent.Count(c => c.Type == TelephonyCommand.WarmTransferType));
    }

    [Fact]
    public async Task RedeliveredFlag_StartsNothingNew()
    {
        await using var host = new FlowTestHost();
        var first = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-8", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();
        var again = await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-8", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType));
    }

    [Fact]
    public async Task Settings_ComeFromConfiguration()
    {
        await using var host = new FlowTestHost(new Dictionary<string, string?>
        {
            ["Flows:MedicalEmergency:ConnectTimeout"] = "00:00:30",
            ["Flows:MedicalEmergency:TransferAttempts"] = "2",
            ["Flows:MedicalEmergency:CustomerServiceExtension"] = "70000",
        });
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-9", "agent-7", "cust-9", null), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-9");
        Assert.Equal((TransferOutcome.NotConnected, 2), (output.Outcome, output.Attempts));
        Assert.All(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType), c => Assert.Equal("70000", c.TargetExtension));
    }

    [Fact]
    public async Task NothingStoredOrSent_MentionsTheCondition()
    {
        // The flow takes no free text in, so none can come out; this pins that the handoff texts stay generic.
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-10", "agent-7", "cust-9", "SR-1"), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(7));

        var everything = await host.EverythingStoredAsync() + string.Join('\n', host.Notifications.Published.Select(RecordingPublisher.Text));
        foreach (var word in new[] { "diagnos", "symptom", "\"condition\"", "\"notes\"" })
        {
            Assert.DoesNotContain(word, everything, StringComparison.OrdinalIgnoreCase);
        }
    }
}
