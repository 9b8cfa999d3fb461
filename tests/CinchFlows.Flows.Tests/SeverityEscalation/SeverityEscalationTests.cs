using CinchFlows.Durable;
using CinchFlows.Flows.Escalations;
using CinchFlows.Flows.Events;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.Escalations;

public sealed class SeverityEscalationTests
{
    [Theory]
    [InlineData("failure-to-act", "general", ContactRole.Customer, EscalationRoute.CustomerServiceEscalations, EscalationSeverity.Normal)]
    [InlineData("staff-behavior", "general", ContactRole.Customer, EscalationRoute.CustomerServiceEscalations, EscalationSeverity.Normal)]
    [InlineData("medical-emergency", "worsened-by-failure", ContactRole.Customer, EscalationRoute.ClaimsSpecialist, EscalationSeverity.MedicalEmergency)]
    [InlineData("safety-risk", "police-contacted", ContactRole.ServiceProfessional, EscalationRoute.PotentialRisk, EscalationSeverity.High)]
    [InlineData("media-contact", "reporter-contact", ContactRole.Media, EscalationRoute.MediaPolicy, EscalationSeverity.High)]
    [InlineData("legal-contact", "attorney-on-behalf", ContactRole.Attorney, EscalationRoute.Legal, EscalationSeverity.High)]
    public async Task EachRoute_IsNotifiedAndEndsWhenAcknowledged(string reason, string subReason, ContactRole role, EscalationRoute route, EscalationSeverity severity)
    {
        await using var host = new FlowTestHost();
        var start = await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-1", reason, subReason, "agent-1", role, null, null), default);
        await host.RunUntilIdleAsync();

        Assert.Equal($"escalation-JOB-1-{reason}", start.InstanceId);
        var routed = Assert.Single(host.Notifications.On(NotificationTopic.Escalations));
        Assert.Equal(("escalation.routed", route.ToString(), severity.ToString(), "group"), (routed.Subject, routed.Properties["route"], routed.Properties["severity"], routed.Properties["tier"]));
        Assert.Equal(severity == EscalationSeverity.MedicalEmergency, host.Notifications.On(NotificationTopic.ClaimsSeverity).Count == 1);
        var status = await host.StatusAsync(start.InstanceId);
        Assert.Equal("WaitingForAcknowledgement", status.Phase);
        Assert.StartsWith($"routed to {route}; waiting for the group to acknowledge", status.Text, StringComparison.Ordinal);

        await host.Flows.AcknowledgeEscalationAsync(start.InstanceId, "lead-4", default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<SeverityEscalationOutput>(start.InstanceId);
        Assert.Equal((route, severity, "lead-4", null), (output.Route, output.Severity, output.AcknowledgedBy, output.ProviderCalled));
        Assert.Equal(["group"], output.TiersNotified);
    }

    [Fact]
    public async Task GivenSeverity_Wins_ExceptForMedicalEmergencyRoute()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-2", "service-delay", "general", "a", ContactRole.Customer, EscalationSeverity.Critical, null), default);
        await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-2", "medical-emergency", "disclosed", "a", ContactRole.Customer, EscalationSeverity.Normal, null), default);
        await host.RunUntilIdleAsync();

        Assert.Equal("Critical", (await host.StatusAsync("escalation-JOB-2-service-delay")).Severity);
        Assert.Equal("MedicalEmergency", (await host.StatusAsync("escalation-JOB-2-medical-emergency")).Severity);
    }

    [Fact]
    public async Task NobodyAcknowledges_EachTierIsToldInTurnThenOps_WithTheSeveritySla()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-3", "medical-emergency", "disclosed", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.RunUntilIdleAsync();

        // Medical Emergency's SLA is 30 min / 6 = 5 min per tier.
        await host.AdvanceAsync(TimeSpan.FromMinutes(4));
        Assert.Single(host.Notifications.On(NotificationTopic.Escalations));
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["escalation.routed", "escalation.tier-up"], host.Notifications.On(NotificationTopic.Escalations).Select(n => n.Subject));
        Assert.Equal("supervisor", host.Notifications.On(NotificationTopic.Escalations)[1].Properties["tier"]);
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal("manager", host.Notifications.On(NotificationTopic.Escalations)[2].Properties["tier"]);
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Single(host.Notifications.On(NotificationTopic.OpsAlerts));

        await host.Flows.AcknowledgeEscalationAsync(id, "manager-2", default);
        await host.RunUntilIdleAsync();
        var output = await host.OutputAsync<SeverityEscalationOutput>(id);
        Assert.Equal(["group", "supervisor", "manager", "ops"], output.TiersNotified);
        Assert.Equal("manager-2", output.AcknowledgedBy);
    }

    [Fact]
    public async Task NobodyEverAcknowledges_EndsUnacknowledgedAfterTheOpsReminders()
    {
        await using var host = new FlowTestHost(new Dictionary<string, string?> { ["Flows:Escalation:OpsReminders"] = "2" });
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-4", "failure-to-act", "general", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromMinutes(30 * 6), TimeSpan.FromMinutes(5));

        var output = await host.OutputAsync<SeverityEscalationOutput>(id);
        Assert.Null(output.AcknowledgedBy);
        Assert.Equal(["group", "supervisor", "manager", "ops"], output.TiersNotified);
        Assert.Equal(2, host.Notifications.On(NotificationTopic.OpsAlerts).Count);
        Assert.Equal("Unacknowledged", (await host.StatusAsync(id)).Phase);
    }

    [Fact]
    public async Task SeverityRaisedToMedicalEmergency_SetsTheClaimAndShortensTheSla()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-5", "service-delay", "general", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(3));

        var delivery = await host.Flows.SendToServiceJobAsync("JOB-5", FlowEvents.SeverityChanged, new SeverityChanged("JOB-5", EscalationSeverity.MedicalEmergency), default);
        await host.RunUntilIdleAsync();
        Assert.Equal([id], delivery.Delivered);
        Assert.Single(host.Notifications.On(NotificationTopic.ClaimsSeverity));

        // 5 minutes from when the group was told, not 30.
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, host.Notifications.On(NotificationTopic.Escalations).Count);
        Assert.Equal("MedicalEmergency", (await host.StatusAsync(id)).Severity);
    }

    [Fact]
    public async Task LegalContactAddress_GoesOnlyIntoLegalRouteMessages()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-6", "legal-contact", "attorney-on-behalf", "a", ContactRole.Attorney, null, null), default);
        await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-6", "coverage-decision", "general", "a", ContactRole.Customer, null, null), default);
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-6", "a", "c", "JOB-6"), default);
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromHours(3), TimeSpan.FromMinutes(5));

        var withAddress = host.Notifications.Published.Where(n => RecordingPublisher.Text(n).Contains("legal@cinchhs.com", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withAddress);
        Assert.All(withAddress, n =>
        {
            Assert.Equal(NotificationTopic.Escalations, n.Topic);
            Assert.Equal("Legal", n.Properties["route"]);
        });
        Assert.Contains("Do not give this address to the customer", withAddress[0].Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Notifications.Published, n => n.Topic is NotificationTopic.HandoffNotes or NotificationTopic.AgentPrompts && RecordingPublisher.Text(n).Contains("legal@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProviderInsideBusinessHours_IsCalledAtOnce()
    {
        // 15:00 UTC is 09:00 in Chicago (CST, UTC-6) on 23 November 2026: the window has just opened.
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-7", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-1", "America/Chicago", "+13125550100")), default)).InstanceId;
        await host.RunUntilIdleAsync();

        var call = Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.ProviderCallType));
        Assert.Equal(("JOB-7", "prov-1", "+13125550100", $"{id}:provider-call"), (call.ServiceJobId, call.ProviderId, call.Phone, call.IdempotencyKey));
        await host.Flows.AcknowledgeEscalationAsync(id, "lead", default);
        await host.RunUntilIdleAsync();
        Assert.True((await host.OutputAsync<SeverityEscalationOutput>(id)).ProviderCalled);
    }

    [Fact]
    public async Task ProviderOutsideBusinessHours_WaitsDurablyForTheWindow_AndSaysSo()
    {
        // 15:00 UTC is 07:00 in Los Angeles (PST, UTC-8): the call waits until 09:00 local = 17:00 UTC.
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-8", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-2", "America/Los_Angeles", "+12135550100")), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.Flows.AcknowledgeEscalationAsync(id, "lead", default);
        await host.RunUntilIdleAsync();

        var status = await host.StatusAsync(id);
        Assert.Equal("waiting for the provider's business hours: calls prov-2 at 09:00 America/Los_Angeles (2026-11-23 17:00 UTC)", status.ProviderCall);
        Assert.Equal(("Acknowledged", "acknowledged by lead"), (status.Phase, status.Text));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        await host.AdvanceAsync(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        Assert.Empty(host.Telephony.ActedOfType(TelephonyCommand.ProviderCallType));

        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.ProviderCallType));
        Assert.True((await host.OutputAsync<SeverityEscalationOutput>(id)).ProviderCalled);
    }

    [Fact]
    public async Task ProviderCall_WaitsAcrossTheSpringForwardChange()
    {
        // Saturday 7 March 2026, 18:30 EST in New York: the clocks go forward that night, so Sunday 09:00 is EDT (UTC-4): 13:00 UTC, not 14:00.
        await using var host = new FlowTestHost(start: new DateTimeOffset(2026, 3, 7, 23, 30, 0, TimeSpan.Zero));
        var id = (await host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-9", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-3", "America/New_York", "+12125550100")), default)).InstanceId;
        await host.RunUntilIdleAsync();
        Assert.Contains("(2026-03-08 13:00 UTC)", (await host.StatusAsync(id)).ProviderCall, StringComparison.Ordinal);

        await host.AdvanceAsync(new DateTime(2026, 3, 8, 12, 59, 0, DateTimeKind.Utc) - host.UtcNow, TimeSpan.FromHours(1));
        Assert.Empty(host.Telephony.ActedOfType(TelephonyCommand.ProviderCallType));
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.ProviderCallType));
    }

    [Theory]
    [InlineData("failure-to-act", "unsafe")]
    [InlineData("made-up", "general")]
    [InlineData("", "")]
    public async Task UnknownReasonPair_IsRefused_AndStartsNothing(string reason, string subReason)
    {
        await using var host = new FlowTestHost();
        var error = await Assert.ThrowsAsync<FlowInputException>(() =>
            host.Flows.StartEscalationAsync(new EscalationRaised("JOB-10", reason, subReason, "a", ContactRole.Customer, null, null), default));

        Assert.Contains("Unknown escalation reason pair", error.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Client.QueryInstancesAsync(new CinchFlows.Durable.Client.OrchestrationQuery()).ContinueWith(t => t.Result.Instances));
    }

    [Fact]
    public async Task UnknownTimeZone_IsRefused()
    {
        await using var host = new FlowTestHost();
        await Assert.ThrowsAsync<FlowInputException>(() => host.Flows.StartEscalationAsync(
            new EscalationRaised("JOB-11", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("p", "Mars/Olympus_Mons", "+1")), default));
    }

    [Fact]
    public async Task ConfiguredReason_IsAccepted()
    {
        await using var host = new FlowTestHost(new Dictionary<string, string?>
        {
            ["Flows:Escalation:Reasons:billing-error:Route"] = "CustomerServiceEscalations",
            ["Flows:Escalation:Reasons:billing-error:SubReasons"] = "double-charge,refund-missing",
        });
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-12", "billing-error", "refund-missing", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await host.RunUntilIdleAsync();

        Assert.Equal("CustomerServiceEscalations", Assert.Single(host.Notifications.On(NotificationTopic.Escalations)).Properties["route"]);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task SameJobAndReason_WhileRunning_IsTheSameEscalation_AfterItEnded_ANewOne()
    {
        await using var host = new FlowTestHost();
        var raised = new EscalationRaised("JOB-13", "safety-risk", "unsafe", "a", ContactRole.Customer, null, null);
        var first = await host.Flows.StartEscalationAsync(raised, default);
        var repeat = await host.Flows.StartEscalationAsync(raised with { SubReason = "police-contacted" }, default);
        await host.RunUntilIdleAsync();
        await host.Flows.AcknowledgeEscalationAsync(first.InstanceId, "lead", default);
        await host.RunUntilIdleAsync();

        var later = await host.Flows.StartEscalationAsync(raised with { SubReason = "lawsuit" }, default);
        var laterStill = await host.Flows.StartEscalationAsync(raised with { SubReason = "lawsuit" }, default);
        await host.RunUntilIdleAsync();

        Assert.Equal((first.InstanceId, false), (repeat.InstanceId, repeat.Created));
        Assert.Equal(("escalation-JOB-13-safety-risk-2", true), (later.InstanceId, later.Created));
        Assert.Equal((later.InstanceId, false), (laterStill.InstanceId, laterStill.Created));
        Assert.Equal("lawsuit", (await host.GetAsync(later.InstanceId)).ReadInputAs<SeverityEscalationInput>()!.SubReason);

        var delivery = await host.Flows.SendToServiceJobAsync("JOB-13", FlowEvents.SeverityChanged, new SeverityChanged("JOB-13", EscalationSeverity.Critical), default);
        Assert.Equal([later.InstanceId], delivery.Delivered);
        Assert.Equal([first.InstanceId, later.InstanceId], delivery.Known.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SeverityChanged_ReachesTheEscalationF1Started()
    {
        await using var host = new FlowTestHost();
        await host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-14", "agent-1", "cust-1", "JOB-14"), default);
        await host.RunUntilIdleAsync();

        var delivery = await host.Flows.SendToServiceJobAsync("JOB-14", FlowEvents.SeverityChanged, new SeverityChanged("JOB-14", EscalationSeverity.MedicalEmergency), default);

        Assert.Equal(["escalation-JOB-14-medical-emergency@call-14"], delivery.Delivered);
    }

    [Theory]
    [InlineData("cust 12 - caller says she is having a stroke")]
    [InlineData("")]
    public async Task ProseWhereAnIdBelongs_IsRefused(string customerId)
    {
        await using var host = new FlowTestHost();

        await Assert.ThrowsAsync<FlowInputException>(() => host.Flows.StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-15", "agent-1", customerId, null), default));
        await Assert.ThrowsAsync<FlowInputException>(() => host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-15", "agent-1", customerId, false), default));
    }
}
