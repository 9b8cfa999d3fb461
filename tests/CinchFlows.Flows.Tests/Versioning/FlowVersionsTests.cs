using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Tests.Support;
using CinchFlows.Flows.Versioning;

namespace CinchFlows.Flows.Tests.Versioning;

/// <summary>The flows' versions and the branches on them (docs/flows.md, "Changing a flow"), on a mocked orchestration context.</summary>
public sealed class FlowVersionsTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData(FlowVersions.V1, false)]
    [InlineData(FlowVersions.V2, true)]
    [InlineData("10.0", true)]
    public void IsAtLeast_OrdersVersionsAsNumbers_AndAFlowWithoutAVersionAsTheOldest(string? version, bool atLeastV2)
    {
        var context = new OrchestrationContextMock("escalation-J-1-service-delay", FlowNames.SeverityEscalation);
        context.Mock.SetupGet(c => c.Version).Returns(version!);

        Assert.Equal(atLeastV2, context.Object.IsAtLeast(FlowVersions.V2));
        Assert.True(context.Object.IsAtLeast(FlowVersions.V1) || string.IsNullOrEmpty(version));
    }

    [Fact]
    public void Known_EndsWithLatest_AndEveryVersionParsesAsANumber()
    {
        Assert.Equal(FlowVersions.Latest, FlowVersions.Known[^1]);
        Assert.All(FlowVersions.Known, v => Assert.True(Version.TryParse(v, out _), v));
        Assert.Equal(FlowVersions.Known.OrderBy(Version.Parse), FlowVersions.Known);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(FlowVersions.V1)]
    public void Escalation_StartedBeforeVersion2_EndsWhenAcknowledged_WithoutTellingTheTiers(string? version)
    {
        var (context, run) = Escalate(version);

        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead-4"));

        Assert.Equal("lead-4", OrchestrationContextMock.OutputOf(run).AcknowledgedBy);
        Assert.Equal(["escalation.routed"], context.On(NotificationTopic.Escalations).Select(n => n.Subject));
        Assert.Equal(version, context.Status.Version);
    }

    [Fact]
    public void Escalation_OnVersion2_TellsTheTiersItNotifiedWhoAcknowledged()
    {
        var (context, run) = Escalate(FlowVersions.V2);
        context.Advance(TimeSpan.FromMinutes(30));

        context.Raise(FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("supervisor-7"));

        Assert.Equal("supervisor-7", OrchestrationContextMock.OutputOf(run).AcknowledgedBy);
        var notices = context.On(NotificationTopic.Escalations);
        Assert.Equal(["escalation.routed", "escalation.tier-up", "escalation.acknowledged"], notices.Select(n => n.Subject));
        var acknowledged = notices[^1];
        Assert.Equal("escalation-JOB-9-service-delay:acknowledged", acknowledged.MessageId);
        Assert.Equal("supervisor-7", acknowledged.Body.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(["group", "supervisor"], acknowledged.Body.GetProperty("tiersNotified").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(FlowVersions.V2, context.Status.Version);
    }

    [Fact]
    public void Escalation_NeverAcknowledged_SendsNoAcknowledgedNotice_OnAnyVersion()
    {
        var (context, run) = Escalate(FlowVersions.V2, c => c.Escalation.OpsReminders = 1);

        context.Advance(TimeSpan.FromMinutes(30 * 5));

        Assert.Null(OrchestrationContextMock.OutputOf(run).AcknowledgedBy);
        Assert.Empty(context.WithSubject("escalation.acknowledged"));
    }

    private static (OrchestrationContextMock Context, Task<SeverityEscalationOutput> Run) Escalate(string? version, Action<OrchestrationContextMock>? arrange = null)
    {
        var context = new OrchestrationContextMock(BusinessKeys.SeverityEscalation("JOB-9", "service-delay"), FlowNames.SeverityEscalation);
        context.Mock.SetupGet(c => c.Version).Returns(version!);
        arrange?.Invoke(context);
        var run = context.Run(new SeverityEscalationOrchestration(), new SeverityEscalationInput("JOB-9", "service-delay", "general", "agent-1", ContactRole.Customer, null, null));
        return (context, run);
    }
}
