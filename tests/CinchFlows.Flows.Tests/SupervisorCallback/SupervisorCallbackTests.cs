using CinchFlows.Durable;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Events;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SupervisorCallbacks;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Flows.Tests.SupervisorCallbacks;

public sealed class SupervisorCallbackTests
{
    [Fact]
    public async Task SupervisorAvailable_WarmTransfersToThem()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-1", "agent-1", "cust-1", SupervisorAvailable: true), default)).InstanceId;
        await host.RunUntilIdleAsync();

        var transfer = Assert.Single(host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType));
        Assert.Equal(("69100", "callback-call-call-1:transfer:1"), (transfer.TargetExtension, transfer.IdempotencyKey));
        Assert.StartsWith("waiting for a supervisor (x69100) to answer, attempt 1 of 2", (await host.StatusAsync(id)).Text, StringComparison.Ordinal);
        await host.Flows.SendToCallAsync("call-1", FlowEvents.TransferConnected, new TransferConnected("call-1", "69100"), default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal(SupervisorCallbackOutcome.TransferredToSupervisor, output.Outcome);
        Assert.Null(output.CallbackId);
        Assert.Empty(await host.Callbacks.ListAsync(null, 10, default));
    }

    [Fact]
    public async Task SupervisorTransferNeverConnects_FallsBackToACallbackTask()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-2", "agent-1", "cust-1", SupervisorAvailable: true), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(4));

        Assert.Equal(2, host.Telephony.ActedOfType(TelephonyCommand.WarmTransferType).Count);
        var task = await host.Callbacks.GetAsync(id, default);
        Assert.Equal(CallbackStatus.Open, task?.Status);
        Assert.Single(host.Notifications.On(NotificationTopic.CallbackTasks));
    }

    [Fact]
    public async Task NoSupervisor_OpensATaskTellsSupervisors_ThenClaimAndComplete()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-3", "agent-1", "cust-3", SupervisorAvailable: false), default)).InstanceId;
        await host.RunUntilIdleAsync();

        Assert.Empty(host.Telephony.Acted);
        var created = Assert.Single(host.Notifications.On(NotificationTopic.CallbackTasks));
        Assert.Equal(("callback-task.created", "call-3"), (created.Subject, created.Properties["callId"]));
        var told = Assert.Single(host.Notifications.On(NotificationTopic.SupervisorNotifications));
        Assert.Equal(("callback.claim-requested", "supervisor"), (told.Subject, told.Properties["tier"]));
        var open = await host.Callbacks.GetAsync(id, default);
        Assert.Equal((CallbackStatus.Open, "cust-3", host.UtcNow.AddMinutes(15), id), (open!.Status, open.CustomerId, open.DueTime.UtcDateTime, open.FlowId));

        await host.AdvanceAsync(TimeSpan.FromMinutes(3));
        var claim = await host.Callbacks.ClaimAsync(id, "sup-1", default);
        await host.RunUntilIdleAsync();
        Assert.Equal(CallbackChangeOutcome.Changed, claim.Outcome);
        var status = await host.StatusAsync(id);
        Assert.Equal("WaitingForCompletion", status.Phase);
        Assert.Equal(host.UtcNow.AddHours(4), status.Due);

        var done = await host.Callbacks.CompleteAsync(id, "sup-1", "resolved", default);
        await host.RunUntilIdleAsync();
        Assert.Equal(CallbackChangeOutcome.Changed, done.Outcome);
        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal((SupervisorCallbackOutcome.Completed, id, "sup-1"), (output.Outcome, output.CallbackId, output.ClaimedBy));
        Assert.Equal(["supervisor"], output.TiersNotified);
        Assert.Equal(CallbackStatus.Completed, (await host.Callbacks.GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task ClaimTimeout_RemindsThenMovesToTheManager_WhoClaims()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-4", "agent-1", "cust-4", false), default)).InstanceId;
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Equal(["callback.claim-requested", "callback.reminder"], host.Notifications.On(NotificationTopic.SupervisorNotifications).Select(n => n.Subject));
        await host.AdvanceAsync(TimeSpan.FromMinutes(15));
        var third = host.Notifications.On(NotificationTopic.SupervisorNotifications)[2];
        Assert.Equal(("callback.claim-requested", "manager"), (third.Subject, third.Properties["tier"]));
        Assert.Equal("manager", (await host.Callbacks.GetAsync(id, default))!.Tier);
        Assert.Contains("waiting for a manager to claim the callback (notice 1 of 2)", (await host.StatusAsync(id)).Text, StringComparison.Ordinal);

        await host.Callbacks.ClaimAsync(id, "mgr-1", default);
        await host.Callbacks.CompleteAsync(id, "mgr-1", "called back", default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal(SupervisorCallbackOutcome.Completed, output.Outcome);
        Assert.Equal(["supervisor", "supervisor", "manager"], output.TiersNotified);
    }

    [Fact]
    public async Task EveryTierMisses_BreachedAndOpsAlerted_ButStillClaimable()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-5", "agent-1", "cust-5", false), default)).InstanceId;
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromMinutes(60));
        var alert = Assert.Single(host.Notifications.On(NotificationTopic.OpsAlerts));
        Assert.Equal("callback.unclaimed", alert.Subject);
        Assert.Equal(CallbackStatus.Breached, (await host.Callbacks.GetAsync(id, default))!.Status);
        Assert.Single(await host.Callbacks.ListAsync(CallbackStatus.Breached, 10, default));

        await host.Callbacks.ClaimAsync(id, "sup-9", default);
        await host.RunUntilIdleAsync();
        Assert.Equal(CallbackStatus.Claimed, (await host.Callbacks.GetAsync(id, default))!.Status);
        await host.Callbacks.CompleteAsync(id, "sup-9", null, default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal((SupervisorCallbackOutcome.Completed, "sup-9"), (output.Outcome, output.ClaimedBy));
        Assert.Equal(["supervisor", "supervisor", "manager", "manager", "ops"], output.TiersNotified);
    }

    [Fact]
    public async Task ClaimOnTheRowWhoseEventNeverCame_TheFlowTakesTheClaimFromTheRow()
    {
        // Chaos found it: a worker killed while holding the claim event (or a slow queue) let the claim period pass, and
        // the flow ended Breached with nobody told, though the task was claimed and later completed.
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-7", "agent-1", "cust-7", false), default)).InstanceId;
        await host.RunUntilIdleAsync();
        var store = host.Services.GetRequiredService<ICallbackTaskStore>();
        var stored = (await store.GetAsync(id, default))!;
        Assert.True(await store.TryReplaceAsync(stored.Task with { Status = CallbackStatus.Claimed, ClaimedBy = "sup-3", ClaimedTime = host.Time.GetUtcNow() }, stored.Version, default));

        await host.AdvanceAsync(TimeSpan.FromMinutes(31));
        Assert.Equal("WaitingForCompletion", (await host.StatusAsync(id)).Phase);
        await host.Callbacks.CompleteAsync(id, "sup-3", "resolved", default);
        await host.RunUntilIdleAsync();

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal((SupervisorCallbackOutcome.Completed, "sup-3"), (output.Outcome, output.ClaimedBy));
        Assert.Empty(host.Notifications.On(NotificationTopic.OpsAlerts));
    }

    [Fact]
    public async Task NeverClaimed_EndsBreachedWithASecondOpsAlert()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-6", "agent-1", "cust-6", false), default)).InstanceId;
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromHours(25), TimeSpan.FromMinutes(15));

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal((SupervisorCallbackOutcome.Breached, null), (output.Outcome, output.ClaimedBy));
        Assert.Equal(["callback.unclaimed", "callback.abandoned"], host.Notifications.On(NotificationTopic.OpsAlerts).Select(n => n.Subject));
        Assert.Equal(CallbackStatus.Breached, (await host.Callbacks.GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task CompletionDeadlineMissed_AlertsOps_AndTheClaimerCanStillComplete()
    {
        await using var host = new FlowTestHost();
        var id = (await host.Flows.StartSupervisorCallbackAsync(new SupervisorRequested("call-7", "agent-1", "cust-7", false), default)).InstanceId;
        await host.RunUntilIdleAsync();
        await host.Callbacks.ClaimAsync(id, "sup-1", default);
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromHours(4), TimeSpan.FromMinutes(30));

        var output = await host.OutputAsync<SupervisorCallbackOutput>(id);
        Assert.Equal((SupervisorCallbackOutcome.Breached, "sup-1"), (output.Outcome, output.ClaimedBy));
        var alert = Assert.Single(host.Notifications.On(NotificationTopic.OpsAlerts));
        Assert.Equal("callback.completion-breached", alert.Subject);
        Assert.Equal(CallbackStatus.Breached, (await host.Callbacks.GetAsync(id, default))!.Status);

        var late = await host.Callbacks.CompleteAsync(id, "sup-1", "resolved late", default);
        Assert.Equal(CallbackChangeOutcome.Changed, late.Outcome);
        Assert.Equal(CallbackStatus.Completed, late.Task!.Status);
    }

    [Fact]
    public async Task ChannelRequest_StartsOnceAndOpensATask()
    {
        await using var host = new FlowTestHost();
        var first = await host.Flows.StartCallbackRequestAsync(new CallbackRequest("web-77", "cust-8", "web", null), default);
        var again = await host.Flows.StartCallbackRequestAsync(new CallbackRequest("web-77", "cust-8", "web", null), default);
        await host.RunUntilIdleAsync();

        Assert.Equal(("callback-request-web-77", true, false), (first.InstanceId, first.Created, again.Created));
        var task = await host.Callbacks.GetAsync(first.InstanceId, default);
        Assert.Equal((CallbackReason.ChannelRequest, null), (task!.Reason, task.CallId));
    }
}
