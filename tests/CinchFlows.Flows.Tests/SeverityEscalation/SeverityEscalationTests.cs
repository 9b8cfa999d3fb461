using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.SeverityEscalation;

/// <summary>F2's branches, on a mocked orchestration context (timers and events when the test says).</summary>
public sealed class SeverityEscalationTests
{
    [Theory]
    [InlineData("failure-to-act", "general", ContactRole.Customer, EscalationRoute.CustomerServiceEscalations, EscalationSeverity.Normal)]
    [InlineData("staff-behavior", "general", ContactRole.Customer, EscalationRoute.CustomerServiceEscalations, EscalationSeverity.Normal)]
    [InlineData("medical-emergency", "worsened-by-failure", ContactRole.Customer, EscalationRoute.ClaimsSpecialist, EscalationSeverity.MedicalEmergency)]
    [InlineData("safety-risk", "police-contacted", ContactRole.ServiceProfessional, EscalationRoute.PotentialRisk, EscalationSeverity.High)]
    [InlineData("media-contact", "reporter-contact", ContactRole.Media, EscalationRoute.MediaPolicy, EscalationSeverity.High)]
    [InlineData("legal-contact", "attorney-on-behalf", ContactRole.Attorney, EscalationRoute.Legal, EscalationSeverity.High)]
    public void EachRoute_IsNotifiedAndEndsWhenAcknowledged(string reason, string subReason, ContactRole role, EscalationRoute route, EscalationSeverity severity)
    {
        var (context, run) = Escalate("JOB-1", reason, subReason, role);

        var routed = Assert.Single(context.On(NotificationTopic.Escalations));
        Assert.Equal(("escalation.routed", route.ToString(), severity.ToString(), "group"), (routed.Subject, routed.Properties["route"], routed.Properties["severity"], routed.Properties["tier"]));
        Assert.Equal($"escalation-JOB-1-{reason}:tier:0", routed.MessageId);
        Assert.Equal(severity == EscalationSeverity.MedicalEmergency, context.On(NotificationTopic.ClaimsSeverity).Count == 1);
        Assert.Equal("WaitingForAcknowledgement", context.Status.Phase);
        Assert.StartsWith($"routed to {route}; waiting for the group to acknowledge", context.Status.Text, StringComparison.Ordinal);

        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead-4"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((route, severity, "lead-4", null), (output.Route, output.Severity, output.AcknowledgedBy, output.ProviderCalled));
        Assert.Equal(["group"], output.TiersNotified);
        Assert.Equal(("Acknowledged", "lead-4"), (context.Status.Phase, context.Status.AcknowledgedBy));
    }

    [Theory]
    [InlineData("service-delay", "general", EscalationRoute.CustomerServiceEscalations, 30)]
    [InlineData("medical-emergency", "disclosed", EscalationRoute.ClaimsSpecialist, 5)]
    [InlineData("legal-contact", "attorney-on-behalf", EscalationRoute.Legal, 15)]
    public void TheRoute_IsInTheStatus_WhileWaiting_AfterATierUp_AndOnceAcknowledged(string reason, string subReason, EscalationRoute route, int slaMinutes)
    {
        // The supervisor's list (GET /api/escalations) reads the route from the status of a flow still running.
        var (context, run) = Escalate("JOB-R", reason, subReason, ContactRole.Customer);
        Assert.Equal(("WaitingForAcknowledgement", route.ToString()), (context.Status.Phase, context.Status.Route));

        context.Advance(TimeSpan.FromMinutes(slaMinutes));
        Assert.Equal(("supervisor", route.ToString()), (context.Status.Tier, context.Status.Route));

        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead-r"));
        OrchestrationContextMock.OutputOf(run);
        Assert.Equal(("Acknowledged", route.ToString(), "lead-r"), (context.Status.Phase, context.Status.Route, context.Status.AcknowledgedBy));
    }

    [Fact]
    public void GivenSeverity_Wins_ExceptForMedicalEmergencyRoute()
    {
        var (delay, _) = Escalate("JOB-2", "service-delay", "general", severity: EscalationSeverity.Critical);
        var (medical, _) = Escalate("JOB-2", "medical-emergency", "disclosed", severity: EscalationSeverity.Normal);

        Assert.Equal("Critical", delay.Status.Severity);
        Assert.Equal("MedicalEmergency", medical.Status.Severity);
    }

    [Fact]
    public void NobodyAcknowledges_EachTierIsToldInTurnThenOps_WithTheSeveritySla()
    {
        var (context, run) = Escalate("JOB-3", "medical-emergency", "disclosed");
        Assert.Equal("routed to ClaimsSpecialist; waiting for the group to acknowledge by 15:05:00 UTC (MedicalEmergency SLA), since 15:00:00 UTC", context.Status.Text);

        // Medical Emergency's SLA is 30 min / 6 = 5 min per tier.
        context.Advance(TimeSpan.FromMinutes(4));
        Assert.Single(context.On(NotificationTopic.Escalations));
        context.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["escalation.routed", "escalation.tier-up"], context.On(NotificationTopic.Escalations).Select(n => n.Subject));
        Assert.Equal("supervisor", context.On(NotificationTopic.Escalations)[1].Properties["tier"]);
        context.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("manager", context.On(NotificationTopic.Escalations)[2].Properties["tier"]);
        Assert.Contains("escalated to the manager", context.On(NotificationTopic.Escalations)[2].Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        context.Advance(TimeSpan.FromMinutes(5));
        var ops = Assert.Single(context.On(NotificationTopic.OpsAlerts));
        Assert.Equal(("escalation.unacknowledged", "escalation-JOB-3-medical-emergency:unacknowledged:1"), (ops.Subject, ops.MessageId));

        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("manager-2"));
        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(["group", "supervisor", "manager", "ops"], output.TiersNotified);
        Assert.Equal("manager-2", output.AcknowledgedBy);
    }

    [Fact]
    public void NobodyEverAcknowledges_EndsUnacknowledgedAfterTheOpsReminders()
    {
        var (context, run) = Escalate("JOB-4", "failure-to-act", "general", arrange: c => c.Escalation.OpsReminders = 2);

        context.Advance(TimeSpan.FromMinutes(30 * 6));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Null(output.AcknowledgedBy);
        Assert.Equal(["group", "supervisor", "manager", "ops"], output.TiersNotified);
        Assert.Equal(2, context.On(NotificationTopic.OpsAlerts).Count);
        Assert.Equal("Unacknowledged", context.Status.Phase);
    }

    [Fact]
    public void SeverityRaisedToMedicalEmergency_SetsTheClaimAndShortensTheSla()
    {
        var (context, _) = Escalate("JOB-5", "service-delay", "general");
        context.Advance(TimeSpan.FromMinutes(3));

        context.Raise(FlowEvents.SeverityChanged, new SeverityChanged("JOB-5", EscalationSeverity.MedicalEmergency));
        Assert.Equal("severity.set", Assert.Single(context.On(NotificationTopic.ClaimsSeverity)).Subject);

        // 5 minutes from when the group was told, not 30.
        context.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Single(context.On(NotificationTopic.Escalations));
        context.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, context.On(NotificationTopic.Escalations).Count);
        Assert.Equal("MedicalEmergency", context.Status.Severity);
    }

    [Fact]
    public void SeverityChangedForAnotherJob_ChangesNothing()
    {
        var (context, _) = Escalate("JOB-5b", "service-delay", "general");

        context.Raise(FlowEvents.SeverityChanged, new SeverityChanged("JOB-other", EscalationSeverity.MedicalEmergency));
        context.Advance(TimeSpan.FromMinutes(29));

        Assert.Empty(context.On(NotificationTopic.ClaimsSeverity));
        Assert.Single(context.On(NotificationTopic.Escalations));
        Assert.Equal("Normal", context.Status.Severity);
    }

    [Fact]
    public void LegalContactAddress_GoesOnlyIntoLegalRouteMessages()
    {
        var (legal, _) = Escalate("JOB-6", "legal-contact", "attorney-on-behalf", ContactRole.Attorney);
        var (coverage, _) = Escalate("JOB-6", "coverage-decision", "general");
        var medical = new OrchestrationContextMock("medical-call-6", FlowNames.MedicalEmergencyTransfer);
        medical.Run(new MedicalEmergencyTransferOrchestration(), new MedicalEmergencyTransferInput("call-6", "a", "c", "JOB-6"));
        foreach (var context in new[] { legal, coverage, medical })
        {
            context.Advance(TimeSpan.FromHours(3));
        }

        var published = new[] { legal, coverage, medical }.SelectMany(c => c.Notifications).ToList();
        var withAddress = published.Where(n => RecordingPublisher.Text(n).Contains("legal@cinchhs.com", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withAddress);
        Assert.All(withAddress, n =>
        {
            Assert.Equal(NotificationTopic.Escalations, n.Topic);
            Assert.Equal("Legal", n.Properties["route"]);
        });
        Assert.Contains("Do not give this address to the customer", withAddress[0].Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(published, n => n.Topic is NotificationTopic.HandoffNotes or NotificationTopic.AgentPrompts && RecordingPublisher.Text(n).Contains("legal@", StringComparison.Ordinal));
        Assert.DoesNotContain(new[] { legal, coverage, medical }.SelectMany(c => c.CommandsSent), c => (c.Note ?? string.Empty).Contains("legal@", StringComparison.Ordinal));
    }

    [Fact]
    public void ProviderInsideBusinessHours_IsCalledAtOnce()
    {
        // 15:00 UTC is 09:00 in Chicago (CST, UTC-6) on 23 November 2026: the window has just opened.
        var (context, run) = Escalate("JOB-7", "service-delay", "general", provider: new ServiceProviderContact("prov-1", "America/Chicago", "+13125550100"));

        var call = Assert.Single(context.CommandsOfType(TelephonyCommand.ProviderCallType));
        Assert.Equal(("JOB-7", "prov-1", "+13125550100", "escalation-JOB-7-service-delay:provider-call"), (call.ServiceJobId, call.ProviderId, call.Phone, call.IdempotencyKey));
        Assert.Equal("provider prov-1 called at 15:00:00 UTC", context.Status.ProviderCall);
        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead"));
        Assert.True(OrchestrationContextMock.OutputOf(run).ProviderCalled);
    }

    [Fact]
    public void ProviderOutsideBusinessHours_WaitsDurablyForTheWindow_AndSaysSo()
    {
        // 15:00 UTC is 07:00 in Los Angeles (PST, UTC-8): the call waits until 09:00 local = 17:00 UTC.
        var (context, run) = Escalate("JOB-8", "service-delay", "general", provider: new ServiceProviderContact("prov-2", "America/Los_Angeles", "+12135550100"));
        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead"));

        Assert.Equal("waiting for the provider's business hours: calls prov-2 at 09:00 America/Los_Angeles (2026-11-23 17:00 UTC)", context.Status.ProviderCall);
        Assert.Equal(("Acknowledged", "acknowledged by lead"), (context.Status.Phase, context.Status.Text));
        Assert.False(run.IsCompleted);
        Assert.Contains(context.PendingTimers, t => t.FireAt == new DateTime(2026, 11, 23, 17, 0, 0, DateTimeKind.Utc));
        context.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Empty(context.CommandsOfType(TelephonyCommand.ProviderCallType));

        context.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(context.CommandsOfType(TelephonyCommand.ProviderCallType));
        Assert.True(OrchestrationContextMock.OutputOf(run).ProviderCalled);
    }

    [Fact]
    public void ProviderCall_WaitsAcrossTheSpringForwardChange()
    {
        // Saturday 7 March 2026, 18:30 EST in New York: the clocks go forward that night, so Sunday 09:00 is EDT (UTC-4): 13:00 UTC, not 14:00.
        var (context, _) = Escalate("JOB-9", "service-delay", "general", provider: new ServiceProviderContact("prov-3", "America/New_York", "+12125550100"),
            start: new DateTime(2026, 3, 7, 23, 30, 0, DateTimeKind.Utc));
        Assert.Contains("(2026-03-08 13:00 UTC)", context.Status.ProviderCall, StringComparison.Ordinal);

        context.AdvanceTo(new DateTime(2026, 3, 8, 12, 59, 0, DateTimeKind.Utc));
        Assert.Empty(context.CommandsOfType(TelephonyCommand.ProviderCallType));
        context.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(context.CommandsOfType(TelephonyCommand.ProviderCallType));
    }

    [Fact]
    public void ConfiguredReason_IsRouted()
    {
        var (context, run) = Escalate("JOB-12", "billing-error", "refund-missing", arrange: c =>
            c.Escalation.Reasons["billing-error"] = new EscalationReasonOptions { Route = EscalationRoute.CustomerServiceEscalations, SubReasons = "double-charge,refund-missing" });

        Assert.Equal("CustomerServiceEscalations", Assert.Single(context.On(NotificationTopic.Escalations)).Properties["route"]);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public void ReasonPairNotInTheTaxonomyItRunsWith_FailsTheFlow()
    {
        var (_, run) = Escalate("JOB-13", "made-up", "general");

        Assert.IsType<InvalidOperationException>(run.Exception?.InnerException);
    }

    private static (OrchestrationContextMock Context, Task<SeverityEscalationOutput> Run) Escalate(
        string serviceJobId,
        string reason,
        string subReason,
        ContactRole role = ContactRole.Customer,
        EscalationSeverity? severity = null,
        ServiceProviderContact? provider = null,
        DateTime? start = null,
        Action<OrchestrationContextMock>? arrange = null)
    {
        var context = new OrchestrationContextMock(BusinessKeys.SeverityEscalation(serviceJobId, reason), FlowNames.SeverityEscalation, start);
        arrange?.Invoke(context);
        var run = context.Run(new SeverityEscalationOrchestration(), new SeverityEscalationInput(serviceJobId, reason, subReason, "agent-1", role, severity, provider));
        return (context, run);
    }
}
