using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.SupervisorCallback;

/// <summary>F3 end to end on the in-memory Durable Task host: started through <see cref="CallCenterFlowClient"/>, claimed and completed through <see cref="CallbackTaskClient"/>.</summary>
public sealed class SupervisorCallbackFlowTests
{
    [Fact]
    public async Task NoSupervisor_TheTaskIsClaimedAndCompleted_AndTheFlowFollows()
    {
        await using var host = await FlowTestHost.StartAsync();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-3", "agent-1", "cust-3", SupervisorAvailable: false), default)).InstanceId;
        await host.UntilPhaseAsync(id, "WaitingForClaim");
        var open = await host.Callbacks.GetAsync(id, default);
        Assert.Equal((CallbackStatus.Open, "cust-3", id, "supervisor"), (open!.Status, open.CustomerId, open.FlowId, open.Tier));
        Assert.InRange(open.DueTime - open.CreatedTime, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15.5));
        Assert.Equal("callback-task.created", Assert.Single(host.Notifications.On(NotificationTopic.CallbackTasks)).Subject);
        Assert.Empty(host.Telephony.Acted);

        Assert.Equal(CallbackChangeOutcome.Changed, (await host.Callbacks.ClaimAsync(id, "sup-1", default)).Outcome);
        await host.UntilPhaseAsync(id, "WaitingForCompletion");
        Assert.Equal(CallbackStatus.Claimed, (await host.Callbacks.GetAsync(id, default))!.Status);
        Assert.Equal(CallbackChangeOutcome.Changed, (await host.Callbacks.CompleteAsync(id, "sup-1", "resolved", default)).Outcome);

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal((SupervisorCallbackOutcome.Completed, id, "sup-1"), (output.Outcome, output.CallbackId, output.ClaimedBy));
        Assert.Equal(["supervisor"], output.TiersNotified);
        Assert.Equal(CallbackStatus.Completed, (await host.Callbacks.GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task SupervisorAvailable_IsWarmTransferred()
    {
        await using var host = await FlowTestHost.StartAsync();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-1", "agent-1", "cust-1", SupervisorAvailable: true), default)).InstanceId;
        await Waiting.UntilAsync(() => host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count == 1, "the warm transfer");
        Assert.Equal("69100", host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType)[0].TargetExtension);

        var delivery = await host.Flows.SendToCallAsync("call-1", FlowEvents.TransferConnected, new TransferConnected("call-1", "69100"), default);

        Assert.Equal([id], delivery.Delivered);
        Assert.Equal(SupervisorCallbackOutcome.TransferredToSupervisor, (await host.OutputAsync<SupervisorCallbackOutput>(id)).Outcome);
        Assert.Null(await host.Callbacks.GetAsync(id, default));
    }

    [Fact]
    public async Task NobodyClaims_EachTierOnItsTimer_ThenBreached_ThenAbandoned()
    {
        await using var host = await FlowTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Flows:SupervisorCallback:ClaimTimeout"] = "00:00:01",
            ["Flows:SupervisorCallback:NotificationsPerTier"] = "1",
            ["Flows:SupervisorCallback:BreachedClaimWindow"] = "00:00:01",
        });
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-6", "agent-1", "cust-6", false), default)).InstanceId;

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);

        Assert.Equal((SupervisorCallbackOutcome.Breached, null), (output.Outcome, output.ClaimedBy));
        Assert.Equal(["supervisor", "manager", "ops"], output.TiersNotified);
        Assert.Equal(["supervisor", "manager"], host.Notifications.WithSubject("callback.claim-requested").Select(n => n.Properties["tier"]));
        Assert.Equal(["callback.unclaimed", "callback.abandoned"], host.Notifications.On(NotificationTopic.OpsAlerts).Select(n => n.Subject));
        Assert.Equal(CallbackStatus.Breached, (await host.Callbacks.GetAsync(id, default))!.Status);

        // Claimed after the flow gave up: still answered, and the task stays on the board as breached.
        Assert.Equal(CallbackChangeOutcome.Changed, (await host.Callbacks.ClaimAsync(id, "sup-1", default)).Outcome);
        Assert.Single(await host.Callbacks.ListAsync(CallbackStatus.Breached, 10, default));
    }

    [Fact]
    public async Task CompletionDeadlineMissed_AlertsOps_AndTheClaimerCanStillComplete()
    {
        await using var host = await FlowTestHost.StartAsync(new Dictionary<string, string?> { ["Flows:SupervisorCallback:CompletionDeadline"] = "00:00:01" });
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-7", "agent-1", "cust-7", false), default)).InstanceId;
        await host.UntilPhaseAsync(id, "WaitingForClaim");
        await host.Callbacks.ClaimAsync(id, "sup-1", default);

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);

        Assert.Equal((SupervisorCallbackOutcome.Breached, "sup-1"), (output.Outcome, output.ClaimedBy));
        Assert.Equal("callback.completion-breached", Assert.Single(host.Notifications.On(NotificationTopic.OpsAlerts)).Subject);
        Assert.Equal(CallbackStatus.Breached, (await host.Callbacks.GetAsync(id, default))!.Status);
        var late = await host.Callbacks.CompleteAsync(id, "sup-1", "resolved late", default);
        Assert.Equal((CallbackChangeOutcome.Changed, CallbackStatus.Completed), (late.Outcome, late.Task!.Status));
    }

    [Fact]
    public async Task ChannelRequest_StartsOnceAndOpensATask()
    {
        await using var host = await FlowTestHost.StartAsync();
        var first = await host.Flows.StartCallbackRequestAsync(new CallbackRequest("web-77", "cust-8", "web", null), default);
        var again = await host.Flows.StartCallbackRequestAsync(new CallbackRequest("web-77", "cust-8", "web", null), default);

        Assert.Equal(("callback-request-web-77", true, false), (first.InstanceId, first.Created, again.Created));
        await host.UntilPhaseAsync(first.InstanceId, "WaitingForClaim");
        var task = await host.Callbacks.GetAsync(first.InstanceId, default);
        Assert.Equal((CallbackReason.ChannelRequest, null), (task!.Reason, task.CallId));
        Assert.Single(host.Notifications.On(NotificationTopic.CallbackTasks));
    }
}
