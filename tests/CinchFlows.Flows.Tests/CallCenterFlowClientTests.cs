using CinchFlows.Flows.Starts;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Moq;

namespace CinchFlows.Flows.Tests;

/// <summary>Starting flows and delivering their events, on a mocked Durable Task client.</summary>
public sealed class CallCenterFlowClientTests
{
    private readonly DurableClientMock durable = new();
    private readonly EscalationOptions escalation = new();

    [Fact]
    public async Task MedicalEmergency_IsStartedUnderTheCallsId_WithTheCheckedKeys()
    {
        var start = await Flows().StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-1", "agent-7", "cust-9", "SR-1"), default);

        Assert.Equal(new StartResult("medical-call-1", true), start);
        var (name, input, options) = Assert.Single(durable.Scheduled);
        Assert.Equal((FlowNames.MedicalEmergencyTransfer, "medical-call-1"), (name.Name, options?.InstanceId));
        Assert.Equal(new MedicalEmergencyTransferInput("call-1", "agent-7", "cust-9", "SR-1"), input);
    }

    [Fact]
    public async Task SupervisorAndChannelCallbacks_AreStartedUnderTheirOwnPrefixes()
    {
        var call = await Flows().StartSupervisorCallbackAsync(new SupervisorRequested("call-2", "agent-7", "cust-9", true), default);
        var channel = await Flows().StartCallbackRequestAsync(new CallbackRequest("web-77", "cust-8", "web", null), default);

        Assert.Equal(("callback-call-call-2", "callback-request-web-77"), (call.InstanceId, channel.InstanceId));
        Assert.Equal(
            new SupervisorCallbackInput("cust-9", "call-2", "agent-7", true, CallbackPriority.Normal, CallbackReason.SupervisorRequested, "call"),
            durable.Scheduled[0].Input);
        Assert.Equal(
            new SupervisorCallbackInput("cust-8", null, null, false, CallbackPriority.Normal, CallbackReason.ChannelRequest, "web"),
            durable.Scheduled[1].Input);
        Assert.All(durable.Scheduled, s => Assert.Equal(FlowNames.SupervisorCallback, s.Name.Name));
    }

    [Theory]
    [InlineData("failure-to-act", "unsafe")]
    [InlineData("made-up", "general")]
    [InlineData("", "")]
    public async Task UnknownReasonPair_IsRefused_AndStartsNothing(string reason, string subReason)
    {
        var error = await Assert.ThrowsAsync<FlowInputException>(() =>
            Flows().StartEscalationAsync(new EscalationRaised("JOB-10", reason, subReason, "a", ContactRole.Customer, null, null), default));

        Assert.Contains("Unknown escalation reason pair", error.Message, StringComparison.Ordinal);
        Assert.Empty(durable.Scheduled);
    }

    [Fact]
    public async Task UnknownTimeZone_IsRefused()
    {
        await Assert.ThrowsAsync<FlowInputException>(() => Flows().StartEscalationAsync(
            new EscalationRaised("JOB-11", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("p", "Mars/Olympus_Mons", "+1")), default));
        Assert.Empty(durable.Scheduled);
    }

    [Fact]
    public async Task ConfiguredReason_IsAccepted()
    {
        escalation.Reasons["billing-error"] = new EscalationReasonOptions { Route = EscalationRoute.CustomerServiceEscalations, SubReasons = "double-charge,refund-missing" };

        var start = await Flows().StartEscalationAsync(new EscalationRaised("JOB-12", "billing-error", "refund-missing", "a", ContactRole.Customer, null, null), default);

        Assert.Equal(new StartResult("escalation-JOB-12-billing-error", true), start);
    }

    [Theory]
    [InlineData("cust 12 - caller says she is having a stroke")]
    [InlineData("")]
    public async Task ProseWhereAnIdBelongs_IsRefused(string customerId)
    {
        await Assert.ThrowsAsync<FlowInputException>(() => Flows().StartMedicalEmergencyAsync(new MedicalEmergencyFlagged("call-15", "agent-1", customerId, null), default));
        await Assert.ThrowsAsync<FlowInputException>(() => Flows().StartSupervisorCallbackAsync(new SupervisorRequested("call-15", "agent-1", customerId, false), default));
        Assert.Empty(durable.Scheduled);
    }

    [Fact]
    public async Task SameJobAndReason_WhileRunning_IsTheSameEscalation_AfterItEnded_ANewOne()
    {
        var raised = new EscalationRaised("JOB-13", "safety-risk", "unsafe", "a", ContactRole.Customer, null, null);
        var first = await Flows().StartEscalationAsync(raised, default);
        var repeat = await Flows().StartEscalationAsync(raised with { SubReason = "police-contacted" }, default);
        durable.With(first.InstanceId, FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Completed);

        var later = await Flows().StartEscalationAsync(raised with { SubReason = "lawsuit" }, default);
        var laterStill = await Flows().StartEscalationAsync(raised with { SubReason = "lawsuit" }, default);

        Assert.Equal(("escalation-JOB-13-safety-risk", true), (first.InstanceId, first.Created));
        Assert.Equal((first.InstanceId, false), (repeat.InstanceId, repeat.Created));
        Assert.Equal(("escalation-JOB-13-safety-risk-2", true), (later.InstanceId, later.Created));
        Assert.Equal((later.InstanceId, false), (laterStill.InstanceId, laterStill.Created));
        Assert.Equal(2, durable.Scheduled.Count);
        Assert.Equal("lawsuit", ((SeverityEscalationInput)durable.Scheduled[1].Input!).SubReason);
    }

    [Fact]
    public async Task SendToCall_DeliversToRunningFlowsOnly_AndNamesFinishedOnesAsKnown()
    {
        durable.With("medical-call-5", FlowNames.MedicalEmergencyTransfer, OrchestrationRuntimeStatus.Completed)
            .With("callback-medical-call-5", FlowNames.SupervisorCallback, OrchestrationRuntimeStatus.Running);

        var delivery = await Flows().SendToCallAsync("call-5", FlowEvents.CallEnded, new CallEnded("call-5"), default);

        Assert.Equal(["callback-medical-call-5"], delivery.Delivered);
        Assert.Equal(["medical-call-5", "callback-medical-call-5"], delivery.Known);
        Assert.Equal(("callback-medical-call-5", FlowEvents.CallEnded), (Assert.Single(durable.Raised).InstanceId, durable.Raised[0].EventName));
    }

    [Fact]
    public async Task SendToCall_NoFlow_IsNotKnown()
    {
        var delivery = await Flows().SendToCallAsync("call-6", FlowEvents.CallEnded, new CallEnded("call-6"), default);

        Assert.Null(delivery.PrimaryId);
        Assert.Empty(durable.Raised);
    }

    [Fact]
    public async Task SeverityChangedForOneJob_DoesNotReachAJobWhoseIdStartsWithIt()
    {
        // The query's prefix "escalation-J1-" also matches job "J1-2"'s escalations.
        durable.With("escalation-J1-service-delay", FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Running)
            .With("escalation-J1-2-service-delay", FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Running)
            .With("escalation-J1-service-delay-2", FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Completed)
            .With("escalation-J1-medical-emergency@call-14", FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Running);

        var delivery = await Flows().SendToServiceJobAsync("J1", FlowEvents.SeverityChanged, new SeverityChanged("J1", EscalationSeverity.MedicalEmergency), default);

        Assert.Equal(["escalation-J1-medical-emergency@call-14", "escalation-J1-service-delay"], delivery.Delivered);
        Assert.Equal(["escalation-J1-medical-emergency@call-14", "escalation-J1-service-delay", "escalation-J1-service-delay-2"], delivery.Known);
        Assert.DoesNotContain(durable.Raised, r => r.InstanceId.StartsWith("escalation-J1-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledgement_ReachesARunningEscalation_AndSaysWhenThereIsNoneOrItEnded()
    {
        durable.With("escalation-J2-service-delay", FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Running)
            .With("escalation-J3-service-delay", FlowNames.SeverityEscalation, OrchestrationRuntimeStatus.Terminated);

        var running = await Flows().AcknowledgeEscalationAsync("escalation-J2-service-delay", "lead-1", default);
        var ended = await Flows().AcknowledgeEscalationAsync("escalation-J3-service-delay", "lead-1", default);
        var none = await Flows().AcknowledgeEscalationAsync("escalation-J4-service-delay", "lead-1", default);

        Assert.Equal(["escalation-J2-service-delay"], running.Delivered);
        Assert.Equal(["escalation-J2-service-delay"], running.Known);
        Assert.Equal((0, "escalation-J3-service-delay"), (ended.Delivered.Count, ended.PrimaryId));
        Assert.Empty(none.Known);
        var (id, name, payload) = Assert.Single(durable.Raised);
        Assert.Equal(("escalation-J2-service-delay", FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement("lead-1")), (id, name, payload));
        await Assert.ThrowsAsync<FlowInputException>(() => Flows().AcknowledgeEscalationAsync("escalation-J2-service-delay", " ", default));
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Completed, true)]
    [InlineData(OrchestrationRuntimeStatus.Failed, true)]
    [InlineData(OrchestrationRuntimeStatus.Terminated, true)]
    [InlineData(OrchestrationRuntimeStatus.Running, false)]
    [InlineData(OrchestrationRuntimeStatus.Pending, false)]
    [InlineData(OrchestrationRuntimeStatus.Suspended, false)]
    public void IsFinished_OnlyForTheEndStates(OrchestrationRuntimeStatus status, bool finished) =>
        Assert.Equal(finished, FlowStatuses.IsFinished(status));

    private CallCenterFlowClient Flows() =>
        new(durable.Object, new InMemoryStartClaims(TimeProvider.System), Mock.Of<IOptionsMonitor<EscalationOptions>>(m => m.CurrentValue == escalation));
}
