using System.Globalization;
using CinchFlows.Durable;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Escalations;
using CinchFlows.Flows.Events;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SupervisorCallbacks;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.Review;

/// <summary>Edge cases a review of the flows found by probe (each failed before its fix).</summary>
public sealed class ReviewFindingsTests
{
    // severity.changed for job "J1" reaches the escalations of job "J1-2" (prefix match), which then sets J1-2 to Medical Emergency.
    [Fact]
    public async Task SeverityChangedForOneJob_DoesNotReachAJobWhoseIdStartsWithIt()
    {
        await using var host = new FlowTestHost();
        var mine = (await host.Flows.StartEscalationAsync(new EscalationRaised("J1", "service-delay", "general", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.Flows.StartEscalationAsync(new EscalationRaised("J1-2", "service-delay", "general", "a", ContactRole.Customer, null, null), default);
        await host.RunUntilIdleAsync();

        var delivery = await host.Flows.SendToServiceJobAsync("J1", FlowEvents.SeverityChanged, new SeverityChanged("J1", EscalationSeverity.MedicalEmergency), default);
        await host.RunUntilIdleAsync();

        Assert.DoesNotContain(host.Notifications.On(NotificationTopic.ClaimsSeverity), n => n.Properties["serviceJobId"] == "J1-2");
        Assert.Equal([mine], delivery.Delivered);
    }

    // a telephony outage longer than the command retry budget (~30 s) fails F1 outright: no supervisor alert, no callback.
    [Fact]
    public async Task TelephonyDown_F1StillAlertsTheSupervisorAndOpensTheCallback()
    {
        await using var host = new FlowTestHost();
        host.Telephony.FailNext(1_000);
        var id = (await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-p2", "agent-1", "cust-1", null), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));

        var instance = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Single(host.Notifications.WithSubject("medical-transfer.not-connected"));
        Assert.NotNull(await host.Callbacks.GetAsync("callback-medical-call-p2", default));
    }

    // the provider call failing (telephony down ~30 s) fails an escalation that was already acknowledged; nobody is told.
    [Fact]
    public async Task ProviderCallFails_EscalationStillCompletesAndSomeoneIsTold()
    {
        await using var host = new FlowTestHost();
        host.Telephony.FailNext(1_000);
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-P2", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov", "America/Chicago", "+1")), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.Flows.AcknowledgeEscalationAsync(id, "lead", default);
        await host.AdvanceAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));

        var instance = await host.GetAsync(id);
        Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instance.RuntimeStatus}: {instance.FailureDetails?.ErrorMessage}");
    }

    // a claim that lands as the last tier's timer fires still gets a "nobody claimed" ops alert and an "ops" tier.
    [Fact]
    public async Task ClaimRacingTheLastClaimTimeout_DoesNotAlertOpsAsUnclaimed()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-p3", "agent-1", "cust-1", false), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(45));

        host.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var claim = await host.Callbacks.ClaimAsync(id, "mgr-1", default);
        await host.RunUntilIdleAsync();
        Assert.Equal(CallbackChangeOutcome.Changed, claim.Outcome);
        await host.Callbacks.CompleteAsync(id, "mgr-1", "resolved", default);
        await host.RunUntilIdleAsync();

        Assert.Empty(host.Notifications.WithSubject("callback.unclaimed"));
        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal(["supervisor", "supervisor", "manager", "manager"], output.TiersNotified);
    }

    // same race one tier earlier: a "Reminder: nobody has claimed it yet" goes out after the claim.
    [Fact]
    public async Task ClaimRacingAReminder_NoReminderAfterTheClaim()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-p3b", "agent-1", "cust-1", false), default)).InstanceId;
        await host.RunUntilIdleAsync();

        host.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await host.Callbacks.ClaimAsync(id, "sup-1", default);
        await host.RunUntilIdleAsync();

        Assert.Empty(host.Notifications.WithSubject("callback.reminder"));
    }

    // a claim after the flow gave up (abandoned) turns the row "claimed" with a due time nobody watches.
    [Fact]
    public async Task ClaimAfterAbandonment_TaskStaysVisibleAsBreachedOrIsWatched()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-p4", "agent-1", "cust-1", false), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromHours(25), TimeSpan.FromMinutes(15));
        Assert.Equal(SupervisorCallbackOutcome.Breached, (await host.OutputAsync<SupervisorCallbackOutput>(id)).Outcome);

        var claim = await host.Callbacks.ClaimAsync(id, "sup-1", default);
        Assert.Equal(CallbackChangeOutcome.Changed, claim.Outcome);
        await host.AdvanceAsync(TimeSpan.FromHours(5), TimeSpan.FromMinutes(30));

        // Docs: "the task stays on the board as breached until someone completes it"; nobody alerts on the new 4 h due time.
        Assert.Single(await host.Callbacks.ListAsync(CallbackStatus.Breached, 10, default));
    }

    // a late transfer.failed for attempt 1 (the platform gave up after our 120 s timeout) kills attempt 2 at once.
    // Events carry no attempt, so the fix needs the platform to echo the command's idempotency key (optional field).
    [Fact]
    public async Task LateFailureOfATimedOutAttempt_DoesNotEndTheNextAttempt()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-p5", "agent-1", "cust-1", null), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count);

        await host.AdvanceAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        await host.Flows.SendToCallAsync("call-p5", FlowEvents.TransferFailed, new TransferFailed("call-p5", "69187", "no-answer", "medical-call-p5:transfer:1"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(2, host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count);

        // The current attempt's own failure (or one without a key) still moves on at once.
        await host.Flows.SendToCallAsync("call-p5", FlowEvents.TransferFailed, new TransferFailed("call-p5", "69187", "no-answer", "medical-call-p5:transfer:2"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(3, host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count);
    }

    [Fact]
    public async Task ConnectionReportedWithAnotherFlowsKey_IsNotTakenForThisFlow()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-p5b", "agent-1", "cust-1", null), default);
        await host.RunUntilIdleAsync();

        await host.Flows.SendToCallAsync("call-p5b", FlowEvents.TransferConnected, new TransferConnected("call-p5b", "69187", "callback-call-call-p5b:transfer:1"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("medical-call-p5b")).RuntimeStatus);

        await host.Flows.SendToCallAsync("call-p5b", FlowEvents.TransferConnected, new TransferConnected("call-p5b", "69187", "medical-call-p5b:transfer:1"), default);
        await host.RunUntilIdleAsync();
        Assert.Equal(TransferOutcome.Connected, (await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-call-p5b")).Outcome);
    }

    // the provider-hours timer firing late (outage/backlog) sends provider.call outside 9-18 local.
    [Fact]
    public async Task ProviderTimerFiringLate_DoesNotCallOutsideBusinessHours()
    {
        // 15:00 UTC = 07:00 Los Angeles; opens at 17:00 UTC. The host is down until 03:00 UTC next day (19:00 LA).
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-P6", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-6", "America/Los_Angeles", "+1")), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.Flows.AcknowledgeEscalationAsync(id, "lead", default);
        await host.RunUntilIdleAsync();

        host.Time.Advance(TimeSpan.FromHours(12));
        await host.RunUntilIdleAsync();

        Assert.Empty(host.Telephony.ActedOfType(TelephonyCommand.ProviderCallType));
    }

    // an acknowledgement that arrives while severity.set is being published is skipped; the next tier is paged anyway.
    [Fact]
    public async Task AckArrivingDuringSeverityRaise_IsNotFollowedByATierUp()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-P7", "service-delay", "general", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));

        await host.Flows.SendToServiceJobAsync("JOB-P7", FlowEvents.SeverityChanged, new SeverityChanged("JOB-P7", EscalationSeverity.MedicalEmergency), default);
        await host.Flows.AcknowledgeEscalationAsync(id, "lead", default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<SeverityEscalationOutput>(id);
        Assert.Equal("lead", output.AcknowledgedBy);
        Assert.Empty(host.Notifications.WithSubject("escalation.tier-up"));
        Assert.Equal(["group"], output.TiersNotified);
    }

    // an acknowledgement accepted (200) after the ack loop ended, while the provider call still waits, is lost.
    [Fact]
    public async Task AckAcceptedWhileProviderCallWaits_IsRecorded()
    {
        // 15:00 UTC = 20:30 in Kolkata: the call waits for 09:00 IST = 03:30 UTC next day.
        await using var host = new FlowTestHost(new Dictionary<string, string?> { ["Flows:Escalation:OpsReminders"] = "1" });
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-P8", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-8", "Asia/Kolkata", "+91")), default)).InstanceId;
        await host.RunUntilIdleAsync();
        Assert.Contains("calls prov-8 at 09:00 Asia/Kolkata (2026-11-24 03:30 UTC)", (await host.StatusAsync(id)).ProviderCall, StringComparison.Ordinal);
        await host.AdvanceAsync(TimeSpan.FromHours(3), TimeSpan.FromMinutes(10));
        Assert.Equal("Unacknowledged", (await host.StatusAsync(id)).Phase);

        await host.Flows.AcknowledgeEscalationAsync(id, "late-lead", default); // accepted: the instance is still Running
        await host.AdvanceAsync(TimeSpan.FromHours(10), TimeSpan.FromHours(1));

        var output = await host.OutputAsync<SeverityEscalationOutput>(id);
        Assert.Equal("late-lead", output.AcknowledgedBy);
    }

    // after the acknowledgement the status keeps saying "waiting for the group to acknowledge" for as long as the provider call waits.
    [Fact]
    public async Task AfterAck_StatusNoLongerSaysWaitingForAcknowledgement()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-P9", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-9", "America/Los_Angeles", "+1")), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.Flows.AcknowledgeEscalationAsync(id, "lead", default);
        await host.AdvanceAsync(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));

        var status = await host.StatusAsync(id);
        Assert.NotEqual("WaitingForAcknowledgement", status.Phase);
        Assert.DoesNotContain("waiting for the group to acknowledge", status.Text, StringComparison.Ordinal);
    }

    // a severity.changed to Normal downgrades a Medical Emergency (ClaimsSpecialist route): its 5-min SLA becomes 30.
    [Fact]
    public async Task ClaimsSpecialistRoute_IsNotDowngradedBySeverityChanged()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-P10", "medical-emergency", "disclosed", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.Flows.SendToServiceJobAsync("JOB-P10", FlowEvents.SeverityChanged, new SeverityChanged("JOB-P10", EscalationSeverity.Normal), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.Equal("MedicalEmergency", (await host.StatusAsync(id)).Severity);
        Assert.Single(host.Notifications.WithSubject("escalation.tier-up"));
    }

    // F1's final status formats seconds with the host's culture ("12,5 s" on a de-DE host).
    [Fact]
    public async Task StatusText_IsCultureInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            await using var host = new FlowTestHost();
            var id = (await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-p11", "agent-1", "cust-1", null), default)).InstanceId;
            await host.RunUntilIdleAsync();
            await host.AdvanceAsync(TimeSpan.FromSeconds(12.5), TimeSpan.FromSeconds(12.5));
            await host.Flows.SendToCallAsync("call-p11", FlowEvents.TransferConnected, new TransferConnected("call-p11", "69187"), default);
            await host.RunUntilIdleAsync();

            Assert.EndsWith("12.5 s", (await host.StatusAsync(id)).Text, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    // flow ids from business keys collide: a supervisor request on call "medical-C1" takes the id of call C1's medical callback.
    [Fact]
    public async Task SupervisorRequestOnCallMedicalC1_DoesNotTakeC1sMedicalCallbackId()
    {
        await using var host = new FlowTestHost();
        var supervisor = await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("medical-C1", "agent-1", "cust-A", false), default);
        await host.RunUntilIdleAsync();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("C1", "agent-2", "cust-B", null), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(7));

        var output = await host.OutputAsync<MedicalEmergencyTransferOutput>("medical-C1");
        Assert.NotEqual(supervisor.InstanceId, output.CallbackId);
        var task = await host.Callbacks.GetAsync(output.CallbackId!, default);
        Assert.Equal(("cust-B", CallbackPriority.High), (task!.CustomerId, task.Priority));
    }
}
