using System.Text.Json;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;
using CinchFlows.Flows.Versioning;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Flows.Tests.MedicalEmergency;

/// <summary>F1's branches, on a mocked orchestration context (timers and events when the test says).</summary>
public sealed class MedicalEmergencyTransferTests
{
    private static readonly DateTime Start = new(2026, 11, 23, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Scenario1_PromptsTheAgentTransfersToCustomerServiceAndHandsOverTheNote()
    {
        var (context, run) = Flag("call-1");

        var prompt = Assert.Single(context.CommandsOfType(TelephonyCommand.AgentPromptType));
        Assert.Equal(("call-1", "agent-7", "medical-emergency", "medical-call-1:agent-prompt"), (prompt.CallId, prompt.AgentId, prompt.Script, prompt.IdempotencyKey));
        var promptNotice = Assert.Single(context.On(NotificationTopic.AgentPrompts));
        Assert.Equal(("medical-call-1:agent-prompt", "agent.prompt.medical-emergency"), (promptNotice.MessageId, promptNotice.Subject));
        var transfer = Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType));
        Assert.Equal(("call-1", "69187", "medical-call-1:transfer:1"), (transfer.CallId, transfer.TargetExtension, transfer.IdempotencyKey));
        Assert.Contains("needs service and has disclosed a Medical Emergency or High-Risk Situation", transfer.Note, StringComparison.Ordinal);
        Assert.Equal("WaitingForConnect", context.Status.Phase);
        Assert.Equal("waiting for Customer Service (x69187) to answer, attempt 1 of 3, since 15:00:00 UTC", context.Status.Text);
        Assert.Equal((Start.AddMinutes(2), 1, 3), (context.Status.Due, context.Status.Attempt, context.Status.Of));

        context.Advance(TimeSpan.FromSeconds(42));
        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-1", "69187"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(new MedicalEmergencyTransferOutput(TransferScenario.NeedsService, TransferOutcome.Connected, 1, 42, null, null, true), output);
        var handoff = Assert.Single(context.On(NotificationTopic.HandoffNotes));
        Assert.Equal("handoff.note", handoff.Subject);
        Assert.Equal("medical-call-1:handoff-note", handoff.MessageId);
        Assert.Equal("call-1", handoff.Properties["callId"]);
        Assert.Equal("medical-call-1", handoff.Properties["flowId"]);
        Assert.False(handoff.Properties.ContainsKey("severity"));
        Assert.Contains("needs service", handoff.Body.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("69187", handoff.Body.GetProperty("targetExtension").GetString());
        Assert.Empty(context.On(NotificationTopic.ClaimsSeverity));
        Assert.Empty(context.Starts);
        Assert.Equal(("Connected", "connected to Customer Service after 1 attempt(s), 42 s"), (context.Status.Phase, context.Status.Text));
    }

    [Fact]
    public void Scenario2_StartsTheSeverityEscalationAndTellsCustomerServiceToSetMedicalEmergency()
    {
        var (context, run) = Flag("call-2", "SR-100");

        var start = Assert.Single(context.Starts);
        Assert.Equal((FlowNames.SeverityEscalation, "escalation-SR-100-medical-emergency@call-2"), (start.FlowName, start.InstanceId));
        Assert.Equal(
            new SeverityEscalationInput("SR-100", "medical-emergency", "disclosed", "agent-7", ContactRole.Customer, EscalationSeverity.MedicalEmergency, null, "call-2", "medical-call-2"),
            start.Input.Deserialize<SeverityEscalationInput>(FlowJson.Options));
        Assert.Equal("MedicalEmergency", start.Input.GetProperty("severity").GetString());
        var retry = Assert.Single(context.Activities, a => a.Name == nameof(StartFlowActivity)).Options?.Retry?.Policy;
        Assert.True(retry is not null && Shared.FlowStepsTests.Span(retry) > Starts.StartClaim.Timeout, "A start is retried past a claim's lifetime.");

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-2", "69187"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((TransferScenario.ServiceRequestInProgress, TransferOutcome.Connected), (output.Scenario, output.Outcome));
        Assert.Equal("escalation-SR-100-medical-emergency@call-2", output.SeverityEscalationId);
        var note = Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType)).Note;
        Assert.Contains("already has service request SR-100 in process", note, StringComparison.Ordinal);
        Assert.Contains("severity of their claim is set to Medical Emergency so that a Claims Specialist", note, StringComparison.Ordinal);
        Assert.Equal("MedicalEmergency", Assert.Single(context.On(NotificationTopic.HandoffNotes)).Properties["severity"]);
    }

    [Fact]
    public void TransferThatNeverConnects_RetriesThenAlertsTheSupervisorAndOpensAHighPriorityCallback()
    {
        var (context, run) = Flag("call-3");

        context.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("waiting for Customer Service (x69187) to answer, attempt 2 of 3, since 15:02:00 UTC", context.Status.Text);
        context.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(["medical-call-3:transfer:1", "medical-call-3:transfer:2", "medical-call-3:transfer:3"], context.CommandsOfType(TelephonyCommand.WarmTransferType).Select(t => t.IdempotencyKey));
        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(TransferOutcome.NotConnected, output.Outcome);
        Assert.Equal(3, output.Attempts);
        Assert.Null(output.SecondsToConnect);
        Assert.False(output.HandoffDelivered);
        Assert.Equal("callback-medical-call-3", output.CallbackId);

        var callback = Assert.Single(context.Starts);
        Assert.Equal((FlowNames.SupervisorCallback, "callback-medical-call-3"), (callback.FlowName, callback.InstanceId));
        Assert.Equal(
            new SupervisorCallbackInput("cust-9", "call-3", "agent-7", false, CallbackPriority.High, CallbackReason.MedicalTransferFailed, "call"),
            callback.Input.Deserialize<SupervisorCallbackInput>(FlowJson.Options));
        var alert = Assert.Single(context.WithSubject("medical-transfer.not-connected"));
        Assert.Equal(NotificationTopic.SupervisorNotifications, alert.Topic);
        Assert.Equal(("medical-call-3:supervisor-alert", "MedicalEmergency"), (alert.MessageId, alert.Properties["severity"]));
        Assert.Equal("callback-medical-call-3", alert.Body.GetProperty("callbackId").GetString());
        Assert.Contains("A high-priority callback (callback-medical-call-3) is open", alert.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(context.On(NotificationTopic.HandoffNotes));
        Assert.Equal(("NotConnected", "not connected after 3 attempt(s); supervisor alerted; callback callback-medical-call-3"), (context.Status.Phase, context.Status.Text));
    }

    [Fact]
    public void TransferFailed_TriesAgainAtOnce()
    {
        var (context, run) = Flag("call-4");

        context.Raise(FlowEvents.TransferFailed, new TransferFailed("call-4", "69187", "busy"));
        Assert.Equal(2, context.CommandsOfType(TelephonyCommand.WarmTransferType).Count);
        Assert.Equal(Start, context.Activities.Last(a => a.Name == nameof(SendTelephonyCommandActivity)).At);

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-4", "x69187"));
        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((TransferOutcome.Connected, 2), (output.Outcome, output.Attempts));
    }

    [Fact]
    public void CallEnded_StopsTransferringAndOpensTheCallback()
    {
        var (context, run) = Flag("call-5");

        context.Raise(FlowEvents.CallEnded, new CallEnded("call-5"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((TransferOutcome.NotConnected, 1, "callback-medical-call-5"), (output.Outcome, output.Attempts, output.CallbackId));
        Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType));
        Assert.Equal("callback-medical-call-5", Assert.Single(context.Starts).InstanceId);
        Assert.Single(context.WithSubject("medical-transfer.not-connected"));
    }

    [Fact]
    public void ConnectedToAnotherExtension_IsNotTakenForCustomerService()
    {
        var (context, run) = Flag("call-6");

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-6", "69100"));
        Assert.False(run.IsCompleted);

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-6", "69187"));
        Assert.Equal(TransferOutcome.Connected, OrchestrationContextMock.OutputOf(run).Outcome);
    }

    [Fact]
    public void Commands_CarryTheConfiguredRetryPolicy_AndOneKeyPerAttempt()
    {
        var (context, _) = Flag("call-7", arrange: c => c.Commands.MaxAttempts = 7);
        context.Advance(TimeSpan.FromMinutes(2));

        var sends = context.Activities.Where(a => a.Name == nameof(SendTelephonyCommandActivity)).ToList();
        Assert.Equal(3, sends.Count);
        Assert.All(sends, s => Assert.Equal(7, s.Options?.Retry?.Policy?.MaxNumberOfAttempts));
        Assert.All(sends, s => Assert.Equal(TimeSpan.FromSeconds(2), s.Options?.Retry?.Policy?.FirstRetryInterval));
        Assert.Equal(["medical-call-7:agent-prompt", "medical-call-7:transfer:1", "medical-call-7:transfer:2"], context.CommandsSent.Select(c => c.IdempotencyKey));
    }

    [Fact]
    public void Settings_ComeFromTheSettingsActivity()
    {
        var (context, run) = Flag("call-9", arrange: c =>
        {
            c.MedicalEmergency.ConnectTimeout = TimeSpan.FromSeconds(30);
            c.MedicalEmergency.TransferAttempts = 2;
            c.MedicalEmergency.CustomerServiceExtension = "70000";
        });

        context.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(nameof(GetFlowSettingsActivity), context.Activities[0].Name);
        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((TransferOutcome.NotConnected, 2), (output.Outcome, output.Attempts));
        Assert.All(context.CommandsOfType(TelephonyCommand.WarmTransferType), c => Assert.Equal("70000", c.TargetExtension));
    }

    [Fact]
    public void TransferCommandRefused_IsAFailedAttempt_TheNextComesAfterTheConnectTimeout()
    {
        var (context, run) = Flag("call-11", arrange: c => c.FailCommands(command => command.IdempotencyKey == "medical-call-11:transfer:1"));

        Assert.Equal("TransferCommandFailed", context.Status.Phase);
        Assert.Equal("the telephony platform refused transfer attempt 1 of 3 to Customer Service (x69187); trying again at 15:02:00 UTC", context.Status.Text);
        context.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType));

        context.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("medical-call-11:transfer:2", context.CommandsOfType(TelephonyCommand.WarmTransferType)[1].IdempotencyKey);
        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-11", "69187"));
        Assert.Equal((TransferOutcome.Connected, 2), (OrchestrationContextMock.OutputOf(run).Outcome, OrchestrationContextMock.OutputOf(run).Attempts));
    }

    [Fact]
    public void PromptRefused_IsLogged_AndTheTransferGoesAhead()
    {
        var (context, run) = Flag("call-12", arrange: c =>
        {
            c.Mock.SetupGet(x => x.Version).Returns(FlowVersions.V2);
            c.FailCommands(command => command.Type == TelephonyCommand.AgentPromptType);
        });

        Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType));
        var error = Assert.Single(context.Logs.Entries, e => e.EventId.Id == 3002);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("medical-call-12", error.Message, StringComparison.Ordinal);
        var alert = Assert.Single(context.WithSubject("flow.step-failed"));
        Assert.Equal(("medical-call-12:step-failed:agent-prompt", NotificationTopic.OpsAlerts), (alert.MessageId, alert.Topic));
        Assert.Equal("agent-prompt", alert.Body.GetProperty("step").GetString());
        Assert.Equal("MedicalEmergencyTransfer", alert.Body.GetProperty("flow").GetString());

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-12", "69187"));
        Assert.Equal(TransferOutcome.Connected, OrchestrationContextMock.OutputOf(run).Outcome);
    }

    [Fact]
    public void PromptRefused_OnVersion1_RaisesNoStepAlert_AsThe1_0FlowDid()
    {
        var (context, _) = Flag("call-16", arrange: c => c.FailCommands(command => command.Type == TelephonyCommand.AgentPromptType));

        Assert.Single(context.Logs.Entries, e => e.EventId.Id == 3002);
        Assert.Empty(context.WithSubject("flow.step-failed"));
    }

    [Fact]
    public void StartRefused_IsLogged_AndTheFlowStillAlertsTheSupervisor()
    {
        var (context, run) = Flag("call-13", arrange: c =>
        {
            c.Mock.SetupGet(x => x.Version).Returns(FlowVersions.V2);
            c.OnActivity(nameof(StartFlowActivity), _ => throw c.Failed(nameof(StartFlowActivity)));
        });

        context.Raise(FlowEvents.CallEnded, new CallEnded("call-13"));

        Assert.Equal("callback-medical-call-13", OrchestrationContextMock.OutputOf(run).CallbackId);
        Assert.Single(context.WithSubject("medical-transfer.not-connected"));
        Assert.Contains(context.Logs.Entries, e => e.EventId.Id == 3003 && e.Message.Contains("callback-medical-call-13", StringComparison.Ordinal));

        // One alert for the step that failed through every retry, not one per retry.
        var alert = Assert.Single(context.WithSubject("flow.step-failed"));
        Assert.Equal(NotificationTopic.OpsAlerts, alert.Topic);
        Assert.Equal("medical-call-13:step-failed:start:callback-medical-call-13", alert.MessageId);
    }

    [Fact]
    public void EventArrivingBetweenTwoWaits_IsNotLost()
    {
        // Attempt 1 times out and its waits are cancelled; "connected" comes while attempt 2's command is being sent,
        // when no wait is open. It must be kept for attempt 2's wait, not taken by attempt 1's cancelled one.
        var (context, run) = Flag("call-14", arrange: c => c.OnActivity(nameof(SendTelephonyCommandActivity), input =>
        {
            if (((TelephonyCommand)input!).IdempotencyKey == "medical-call-14:transfer:2")
            {
                c.Raise(FlowEvents.TransferConnected, new TransferConnected("call-14", "69187", "medical-call-14:transfer:2"));
            }

            return true;
        }));

        context.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal((TransferOutcome.Connected, 2), (OrchestrationContextMock.OutputOf(run).Outcome, OrchestrationContextMock.OutputOf(run).Attempts));
    }

    [Fact]
    public void NothingSent_MentionsTheCondition()
    {
        // The flow takes no free text in, so none can come out; this pins that the prompts and notes stay generic.
        var (context, _) = Flag("call-10", "SR-1");
        context.Advance(TimeSpan.FromMinutes(7));

        var everything = string.Join('\n',
            context.Notifications.Select(n => JsonSerializer.Serialize(n, FlowJson.Options))
                .Concat(context.CommandsSent.Select(c => JsonSerializer.Serialize(c, FlowJson.Options)))
                .Concat(context.Starts.Select(s => JsonSerializer.Serialize(s, FlowJson.Options)))
                .Concat(context.Statuses.Select(s => JsonSerializer.Serialize(s, FlowJson.Options))));
        Assert.Contains("medical-call-10", everything, StringComparison.Ordinal);
        foreach (var word in new[] { "diagnos", "symptom", "\"condition\"", "\"notes\"" })
        {
            Assert.DoesNotContain(word, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_medical_hint_given_before_the_flag_is_recorded_as_first()
    {
        var hinted = new DateTimeOffset(Start.AddSeconds(-30));
        var (context, run) = Flag("call-15", arrange: c => c.OnActivity(nameof(ReadHintActivity), _ => (DateTimeOffset?)hinted));
        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-15", "69187"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((hinted, true), (output.HintedTime, output.HintedFirst));
        var read = Assert.Single(context.Activities, a => a.Name == nameof(ReadHintActivity));
        Assert.Equal(new HintLookup("call-15", HintProtocol.MedicalEmergency), read.Input);
    }

    [Fact]
    public void A_hint_given_after_the_flag_is_kept_but_not_first()
    {
        var hinted = new DateTimeOffset(Start.AddSeconds(5));
        var (context, run) = Flag("call-16", arrange: c => c.OnActivity(nameof(ReadHintActivity), _ => (DateTimeOffset?)hinted));
        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-16", "69187"));

        Assert.Equal((hinted, false), (OrchestrationContextMock.OutputOf(run).HintedTime, OrchestrationContextMock.OutputOf(run).HintedFirst));
    }

    [Fact]
    public void A_hint_that_cannot_be_read_is_recorded_as_none_and_the_transfer_goes_on()
    {
        var (context, run) = Flag("call-17", arrange: c => c.OnActivity(nameof(ReadHintActivity), _ => throw c.Failed(nameof(ReadHintActivity))));
        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-17", "69187"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((TransferOutcome.Connected, null, false), (output.Outcome, output.HintedTime, output.HintedFirst));
        Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType));
    }

    private static (OrchestrationContextMock Context, Task<MedicalEmergencyTransferOutput> Run) Flag(string callId, string? serviceRequestId = null, Action<OrchestrationContextMock>? arrange = null)
    {
        var context = new OrchestrationContextMock(BusinessKeys.MedicalEmergencyTransfer(callId), FlowNames.MedicalEmergencyTransfer, Start);
        arrange?.Invoke(context);
        var run = context.Run(new MedicalEmergencyTransferOrchestration(), new MedicalEmergencyTransferInput(callId, "agent-7", "cust-9", serviceRequestId));
        return (context, run);
    }
}
