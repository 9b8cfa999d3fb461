using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.SeverityEscalation;

/// <summary>F2 end to end on the in-memory Durable Task host, started and driven through <see cref="CallCenterFlowClient"/>.</summary>
public sealed class SeverityEscalationFlowTests
{
    [Fact]
    public async Task SameJobAndReason_WhileRunning_IsTheSameEscalation_AfterItEnded_ANewOne()
    {
        await using var host = await FlowTestHost.StartAsync();
        var raised = new EscalationRaised("JOB-13", "safety-risk", "unsafe", "a", ContactRole.Customer, null, null);
        var first = await host.Flows.StartEscalationAsync(raised, default);
        var repeat = await host.Flows.StartEscalationAsync(raised with { SubReason = "police-contacted" }, default);
        await host.UntilPhaseAsync(first.InstanceId, "WaitingForAcknowledgement");
        Assert.Equal("PotentialRisk", Assert.Single(host.Notifications.On(NotificationTopic.Escalations)).Properties["route"]);

        var ack = await host.Flows.AcknowledgeEscalationAsync(first.InstanceId, "lead", default);
        Assert.Equal([first.InstanceId], ack.Delivered);
        Assert.Equal("lead", (await host.OutputAsync<SeverityEscalationOutput>(first.InstanceId)).AcknowledgedBy);

        var later = await host.Flows.StartEscalationAsync(raised with { SubReason = "lawsuit" }, default);
        var laterStill = await host.Flows.StartEscalationAsync(raised with { SubReason = "lawsuit" }, default);

        Assert.Equal(("escalation-JOB-13-safety-risk", true), (first.InstanceId, first.Created));
        Assert.Equal((first.InstanceId, false), (repeat.InstanceId, repeat.Created));
        Assert.Equal(("escalation-JOB-13-safety-risk-2", true), (later.InstanceId, later.Created));
        Assert.Equal((later.InstanceId, false), (laterStill.InstanceId, laterStill.Created));
        Assert.Equal("lawsuit", FlowJson.Deserialize<SeverityEscalationInput>((await host.GetAsync(later.InstanceId)).SerializedInput)!.SubReason);

        await host.UntilPhaseAsync(later.InstanceId, "WaitingForAcknowledgement");
        var delivery = await host.Flows.SendToServiceJobAsync("JOB-13", FlowEvents.SeverityChanged, new SeverityChanged("JOB-13", EscalationSeverity.Critical), default);
        Assert.Equal([later.InstanceId], delivery.Delivered);
        Assert.Equal([first.InstanceId, later.InstanceId], delivery.Known.Order(StringComparer.Ordinal));
        await Waiting.UntilAsync(async () => (await host.StatusAsync(later.InstanceId))?.Severity == "Critical", "the new severity");

        var again = await host.Flows.AcknowledgeEscalationAsync(first.InstanceId, "lead", default);
        Assert.Equal((0, first.InstanceId), (again.Delivered.Count, again.PrimaryId));
    }

    [Fact]
    public async Task NobodyAcknowledges_EachTierOnItsTimer_ThenOps_ThenItEndsUnacknowledged()
    {
        await using var host = await FlowTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Flows:Escalation:AcknowledgeTimeout"] = "00:00:01",
            ["Flows:Escalation:Tiers"] = "group,supervisor",
            ["Flows:Escalation:OpsReminders"] = "1",
        });
        var id = (await host.Flows.StartEscalationAsync(new EscalationRaised("JOB-4", "failure-to-act", "general", "a", ContactRole.Customer, null, null), default)).InstanceId;

        var output = await host.OutputAsync<SeverityEscalationOutput>(id);

        Assert.Null(output.AcknowledgedBy);
        Assert.Equal(["group", "supervisor", "ops"], output.TiersNotified);
        Assert.Equal(["escalation.routed", "escalation.tier-up"], host.Notifications.On(NotificationTopic.Escalations).Select(n => n.Subject));
        Assert.Equal("escalation.unacknowledged", Assert.Single(host.Notifications.On(NotificationTopic.OpsAlerts)).Subject);
        Assert.Equal("Unacknowledged", (await host.StatusAsync(id))?.Phase);
    }
}
