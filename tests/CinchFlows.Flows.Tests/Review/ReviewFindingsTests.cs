using System.Globalization;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.Review;

/// <summary>Edge cases a review of the flows found by probe (each failed before its fix), on a mocked orchestration context.</summary>
public sealed class ReviewFindingsTests
{
    // a telephony outage longer than the command retry budget (~30 s) fails F1 outright: no supervisor alert, no callback.
    [Fact]
    public void TelephonyDown_F1StillAlertsTheSupervisorAndOpensTheCallback()
    {
        var context = new OrchestrationContextMock("medical-call-p2", FlowNames.MedicalEmergencyTransfer).FailCommands(_ => true);
        var run = context.Run(new MedicalEmergencyTransferOrchestration(), new MedicalEmergencyTransferInput("call-p2", "agent-1", "cust-1", null));

        context.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(TransferOutcome.NotConnected, OrchestrationContextMock.OutputOf(run).Outcome);
        Assert.Equal(3, context.CommandsOfType(TelephonyCommand.WarmTransferType).Count);
        Assert.Single(context.WithSubject("medical-transfer.not-connected"));
        Assert.Equal("callback-medical-call-p2", Assert.Single(context.Starts).InstanceId);
    }

    // the provider call failing (telephony down ~30 s) fails an escalation that was already acknowledged; nobody is told.
    [Fact]
    public void ProviderCallFails_EscalationStillCompletesAndSomeoneIsTold()
    {
        var (context, run) = Escalate("JOB-P2", new ServiceProviderContact("prov", "America/Chicago", "+1"), c => c.FailCommands(_ => true));
        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(("lead", false), (output.AcknowledgedBy, output.ProviderCalled));
        var alert = Assert.Single(context.WithSubject("escalation.provider-call-failed"));
        Assert.Equal(NotificationTopic.OpsAlerts, alert.Topic);
        Assert.Equal("the telephony platform refused the call to provider prov; ops alerted", context.Status.ProviderCall);
    }

    // a claim that lands as the last tier's timer fires still gets a "nobody claimed" ops alert and an "ops" tier.
    [Fact]
    public void ClaimRacingTheLastClaimTimeout_DoesNotAlertOpsAsUnclaimed()
    {
        // The row says claimed when the flow records the breach; the claim event follows.
        var (context, run) = Request("call-p3", c => c.OnActivity(nameof(RecordCallbackProgressActivity), input =>
        {
            if (((CallbackProgress)input!).Kind != CallbackProgressKind.ClaimBreached)
            {
                return true;
            }

            c.Raise(FlowEvents.CallbackClaimed, new CallbackClaim("mgr-1", c.Now));
            return false;
        }));
        context.Advance(TimeSpan.FromMinutes(60));
        context.Raise(FlowEvents.CallbackCompleted, new CallbackCompletion("mgr-1", "resolved"));

        Assert.Empty(context.WithSubject("callback.unclaimed"));
        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((SupervisorCallbackOutcome.Completed, "mgr-1"), (output.Outcome, output.ClaimedBy));
        Assert.Equal(["supervisor", "supervisor", "manager", "manager"], output.TiersNotified);
    }

    // same race one tier earlier: a "Reminder: nobody has claimed it yet" goes out after the claim.
    [Fact]
    public void ClaimRacingAReminder_NoReminderAfterTheClaim()
    {
        var notices = 0;
        var (context, run) = Request("call-p3b", c => c.OnActivity(nameof(RecordCallbackProgressActivity), input =>
        {
            if (((CallbackProgress)input!).Kind != CallbackProgressKind.TierNotified || ++notices == 1)
            {
                return true;
            }

            c.Raise(FlowEvents.CallbackClaimed, new CallbackClaim("sup-1", c.Now));
            return false;
        }));

        context.Advance(TimeSpan.FromMinutes(15));

        Assert.Empty(context.WithSubject("callback.reminder"));
        Assert.Equal("WaitingForCompletion", context.Status.Phase);
        Assert.False(run.IsCompleted);
    }

    // a late transfer.failed for attempt 1 (the platform gave up after our 120 s timeout) kills attempt 2 at once.
    // Events carry no attempt, so the fix needs the platform to echo the command's idempotency key (optional field).
    [Fact]
    public void LateFailureOfATimedOutAttempt_DoesNotEndTheNextAttempt()
    {
        var (context, _) = Flag("call-p5");
        context.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, context.CommandsOfType(TelephonyCommand.WarmTransferType).Count);

        context.Advance(TimeSpan.FromSeconds(10));
        context.Raise(FlowEvents.TransferFailed, new TransferFailed("call-p5", "69187", "no-answer", "medical-call-p5:transfer:1"));
        Assert.Equal(2, context.CommandsOfType(TelephonyCommand.WarmTransferType).Count);

        // The current attempt's own failure (or one without a key) still moves on at once.
        context.Raise(FlowEvents.TransferFailed, new TransferFailed("call-p5", "69187", "no-answer", "medical-call-p5:transfer:2"));
        Assert.Equal(3, context.CommandsOfType(TelephonyCommand.WarmTransferType).Count);
    }

    [Fact]
    public void ConnectionReportedWithAnotherFlowsKey_IsNotTakenForThisFlow()
    {
        var (context, run) = Flag("call-p5b");

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-p5b", "69187", "callback-call-call-p5b:transfer:1"));
        Assert.False(run.IsCompleted);

        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-p5b", "69187", "medical-call-p5b:transfer:1"));
        Assert.Equal(TransferOutcome.Connected, OrchestrationContextMock.OutputOf(run).Outcome);
    }

    // the provider-hours timer firing late (outage/backlog) sends provider.call outside 9-18 local.
    [Fact]
    public void ProviderTimerFiringLate_DoesNotCallOutsideBusinessHours()
    {
        // 15:00 UTC = 07:00 Los Angeles; opens at 17:00 UTC. The host is down until 03:00 UTC next day (19:00 LA).
        var (context, run) = Escalate("JOB-P6", new ServiceProviderContact("prov-6", "America/Los_Angeles", "+1"));
        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead"));

        context.AdvanceLateTo(new DateTime(2026, 11, 24, 3, 0, 0, DateTimeKind.Utc));

        Assert.Empty(context.CommandsOfType(TelephonyCommand.ProviderCallType));
        Assert.Contains("(2026-11-24 17:00 UTC)", context.Status.ProviderCall, StringComparison.Ordinal);
        Assert.Contains(context.PendingTimers, t => t.FireAt == new DateTime(2026, 11, 24, 17, 0, 0, DateTimeKind.Utc));
        Assert.False(run.IsCompleted);
    }

    // an acknowledgement that arrives while severity.set is being published is skipped; the next tier is paged anyway.
    [Fact]
    public void AckArrivingDuringSeverityRaise_IsNotFollowedByATierUp()
    {
        var (context, run) = Escalate("JOB-P7", arrange: c => c.OnActivity(nameof(PublishNotificationActivity), input =>
        {
            if (((Notification)input!).Subject == "severity.set")
            {
                c.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead"));
            }

            return true;
        }));
        context.Advance(TimeSpan.FromMinutes(10));

        context.Raise(FlowEvents.SeverityChanged, new SeverityChanged("JOB-P7", EscalationSeverity.MedicalEmergency));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal("lead", output.AcknowledgedBy);
        Assert.Empty(context.WithSubject("escalation.tier-up"));
        Assert.Equal(["group"], output.TiersNotified);
    }

    // an acknowledgement accepted (200) after the ack loop ended, while the provider call still waits, is lost.
    [Fact]
    public void AckAcceptedWhileProviderCallWaits_IsRecorded()
    {
        // 15:00 UTC = 20:30 in Kolkata: the call waits for 09:00 IST = 03:30 UTC next day.
        var (context, run) = Escalate("JOB-P8", new ServiceProviderContact("prov-8", "Asia/Kolkata", "+91"), c => c.Escalation.OpsReminders = 1);
        Assert.Contains("calls prov-8 at 09:00 Asia/Kolkata (2026-11-24 03:30 UTC)", context.Status.ProviderCall, StringComparison.Ordinal);
        context.Advance(TimeSpan.FromHours(3));
        Assert.Equal("Unacknowledged", context.Status.Phase);

        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("late-lead"));
        context.Advance(TimeSpan.FromHours(10));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(("late-lead", true), (output.AcknowledgedBy, output.ProviderCalled));
    }

    // after the acknowledgement the status keeps saying "waiting for the group to acknowledge" for as long as the provider call waits.
    [Fact]
    public void AfterAck_StatusNoLongerSaysWaitingForAcknowledgement()
    {
        var (context, _) = Escalate("JOB-P9", new ServiceProviderContact("prov-9", "America/Los_Angeles", "+1"));
        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead"));
        context.Advance(TimeSpan.FromHours(1));

        Assert.NotEqual("WaitingForAcknowledgement", context.Status.Phase);
        Assert.DoesNotContain("waiting for the group to acknowledge", context.Status.Text, StringComparison.Ordinal);
    }

    // a severity.changed to Normal downgrades a Medical Emergency (ClaimsSpecialist route): its 5-min SLA becomes 30.
    [Fact]
    public void ClaimsSpecialistRoute_IsNotDowngradedBySeverityChanged()
    {
        var context = new OrchestrationContextMock("escalation-JOB-P10-medical-emergency", FlowNames.SeverityEscalation);
        context.Run(new SeverityEscalationOrchestration(), new SeverityEscalationInput("JOB-P10", "medical-emergency", "disclosed", "a", ContactRole.Customer, null, null));
        context.Raise(FlowEvents.SeverityChanged, new SeverityChanged("JOB-P10", EscalationSeverity.Normal));
        context.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("MedicalEmergency", context.Status.Severity);
        Assert.Single(context.WithSubject("escalation.tier-up"));
    }

    // F1's final status formats seconds with the host's culture ("12,5 s" on a de-DE host).
    [Fact]
    public void StatusText_IsCultureInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var (context, _) = Flag("call-p11");
            context.Advance(TimeSpan.FromSeconds(12.5));
            context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-p11", "69187"));

            Assert.EndsWith("12.5 s", context.Status.Text, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    // flow ids from business keys collide: a supervisor request on call "medical-C1" takes the id of call C1's medical callback.
    [Fact]
    public void SupervisorRequestOnCallMedicalC1_DoesNotTakeC1sMedicalCallbackId()
    {
        var (context, run) = Flag("C1");
        context.Advance(TimeSpan.FromMinutes(7));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.NotEqual(BusinessKeys.SupervisorCallback("medical-C1"), output.CallbackId);
        var start = Assert.Single(context.Starts);
        Assert.Equal(output.CallbackId, start.InstanceId);
        Assert.Equal(("cust-1", "High"), (start.Input.GetProperty("customerId").GetString(), start.Input.GetProperty("priority").GetString()));
    }

    private static (OrchestrationContextMock Context, Task<MedicalEmergencyTransferOutput> Run) Flag(string callId)
    {
        var context = new OrchestrationContextMock(BusinessKeys.MedicalEmergencyTransfer(callId), FlowNames.MedicalEmergencyTransfer);
        return (context, context.Run(new MedicalEmergencyTransferOrchestration(), new MedicalEmergencyTransferInput(callId, "agent-1", "cust-1", null)));
    }

    private static (OrchestrationContextMock Context, Task<SeverityEscalationOutput> Run) Escalate(string serviceJobId, ServiceProviderContact? provider = null, Action<OrchestrationContextMock>? arrange = null)
    {
        var context = new OrchestrationContextMock(BusinessKeys.SeverityEscalation(serviceJobId, "service-delay"), FlowNames.SeverityEscalation);
        arrange?.Invoke(context);
        return (context, context.Run(new SeverityEscalationOrchestration(), new SeverityEscalationInput(serviceJobId, "service-delay", "general", "a", ContactRole.Customer, null, provider)));
    }

    private static (OrchestrationContextMock Context, Task<SupervisorCallbackOutput> Run) Request(string callId, Action<OrchestrationContextMock>? arrange = null)
    {
        var context = new OrchestrationContextMock(BusinessKeys.SupervisorCallback(callId), FlowNames.SupervisorCallback);
        arrange?.Invoke(context);
        return (context, context.Run(new SupervisorCallbackOrchestration(), new SupervisorCallbackInput("cust-1", callId, "agent-1", false, CallbackPriority.Normal, CallbackReason.SupervisorRequested, "call")));
    }
}
