using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Tests.Support;

namespace CinchFlows.Flows.Tests.SupervisorCallback;

/// <summary>F3's branches, on a mocked orchestration context (timers and events when the test says).</summary>
public sealed class SupervisorCallbackTests
{
    private static readonly DateTime Start = new(2026, 11, 23, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void SupervisorAvailable_WarmTransfersToThem()
    {
        var (context, run) = Request("call-1", supervisorAvailable: true);

        var transfer = Assert.Single(context.CommandsOfType(TelephonyCommand.WarmTransferType));
        Assert.Equal(("69100", "callback-call-call-1:transfer:1", "The customer asked to speak with a supervisor."), (transfer.TargetExtension, transfer.IdempotencyKey, transfer.Note));
        Assert.StartsWith("waiting for a supervisor (x69100) to answer, attempt 1 of 2", context.Status.Text, StringComparison.Ordinal);
        context.Raise(FlowEvents.TransferConnected, new TransferConnected("call-1", "69100"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(SupervisorCallbackOutcome.TransferredToSupervisor, output.Outcome);
        Assert.Null(output.CallbackId);
        Assert.Empty(output.TiersNotified);
        Assert.DoesNotContain(context.Activities, a => a.Name == nameof(OpenCallbackTaskActivity));
        Assert.Equal(("Transferred", "transferred to a supervisor after 1 attempt(s)"), (context.Status.Phase, context.Status.Text));
    }

    [Fact]
    public void SupervisorTransferNeverConnects_FallsBackToACallbackTask()
    {
        var (context, run) = Request("call-2", supervisorAvailable: true);

        context.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(2, context.CommandsOfType(TelephonyCommand.WarmTransferType).Count);
        var task = (CallbackTask)Assert.Single(context.Activities, a => a.Name == nameof(OpenCallbackTaskActivity)).Input!;
        Assert.Equal((CallbackStatus.Open, "callback-call-call-2"), (task.Status, task.CallbackId));
        Assert.Single(context.On(NotificationTopic.CallbackTasks));
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public void NoSupervisor_OpensATaskTellsSupervisors_ThenClaimAndComplete()
    {
        var (context, run) = Request("call-3", supervisorAvailable: false);
        const string id = "callback-call-call-3";

        Assert.Empty(context.CommandsSent);
        var open = (CallbackTask)Assert.Single(context.Activities, a => a.Name == nameof(OpenCallbackTaskActivity)).Input!;
        Assert.Equal(
            new CallbackTask
            {
                CallbackId = id, CallId = "call-3", CustomerId = "cust-3", Status = CallbackStatus.Open, CreatedTime = Start, DueTime = Start.AddMinutes(15),
                FlowId = id, Priority = CallbackPriority.Normal, Reason = CallbackReason.SupervisorRequested, Tier = "supervisor",
            },
            open);
        var created = Assert.Single(context.On(NotificationTopic.CallbackTasks));
        Assert.Equal(("callback-task.created", "call-3", $"{id}:callback-task"), (created.Subject, created.Properties["callId"], created.MessageId));
        Assert.Equal(["zoho-crm", "servicebench"], created.Body.GetProperty("systems").EnumerateArray().Select(e => e.GetString()));
        var told = Assert.Single(context.On(NotificationTopic.SupervisorNotifications));
        Assert.Equal(("callback.claim-requested", "supervisor", "Normal"), (told.Subject, told.Properties["tier"], told.Properties["severity"]));
        Assert.Equal(new CallbackProgress(id, CallbackProgressKind.TierNotified, Start.AddMinutes(15), "supervisor"), Assert.Single(context.Progress));
        Assert.Equal(("WaitingForClaim", Start.AddMinutes(15)), (context.Status.Phase, context.Status.Due));

        context.Advance(TimeSpan.FromMinutes(3));
        context.Raise(FlowEvents.CallbackClaimed, new CallbackClaim("sup-1", context.Now));
        Assert.Equal(new CallbackProgress(id, CallbackProgressKind.ClaimSeen, context.Now.AddHours(4)), context.Progress[^1]);
        Assert.Equal(("WaitingForCompletion", context.Now.AddHours(4)), (context.Status.Phase, context.Status.Due));

        context.Raise(FlowEvents.CallbackCompleted, new CallbackCompletion("sup-1", "resolved"));
        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((SupervisorCallbackOutcome.Completed, id, "sup-1"), (output.Outcome, output.CallbackId, output.ClaimedBy));
        Assert.Equal(["supervisor"], output.TiersNotified);
        Assert.Equal(("Completed", "completed by sup-1"), (context.Status.Phase, context.Status.Text));
    }

    [Fact]
    public void ClaimTimeout_RemindsThenMovesToTheManager_WhoClaims()
    {
        var (context, run) = Request("call-4", supervisorAvailable: false);

        context.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(["callback.claim-requested", "callback.reminder"], context.On(NotificationTopic.SupervisorNotifications).Select(n => n.Subject));
        Assert.Contains("Reminder: nobody has claimed it yet.", context.On(NotificationTopic.SupervisorNotifications)[1].Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        context.Advance(TimeSpan.FromMinutes(15));
        var third = context.On(NotificationTopic.SupervisorNotifications)[2];
        Assert.Equal(("callback.claim-requested", "manager", "callback-call-call-4:claim-request:1:1"), (third.Subject, third.Properties["tier"], third.MessageId));
        Assert.Equal("manager", context.Progress[^1].Tier);
        Assert.Contains("waiting for a manager to claim the callback (notice 1 of 2)", context.Status.Text, StringComparison.Ordinal);

        context.Raise(FlowEvents.CallbackClaimed, new CallbackClaim("mgr-1", context.Now));
        context.Raise(FlowEvents.CallbackCompleted, new CallbackCompletion("mgr-1", "called back"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal(SupervisorCallbackOutcome.Completed, output.Outcome);
        Assert.Equal(["supervisor", "supervisor", "manager"], output.TiersNotified);
    }

    [Fact]
    public void EveryTierMisses_BreachedAndOpsAlerted_ButStillClaimable()
    {
        var (context, run) = Request("call-5", supervisorAvailable: false);

        context.Advance(TimeSpan.FromMinutes(60));
        var alert = Assert.Single(context.On(NotificationTopic.OpsAlerts));
        Assert.Equal("callback.unclaimed", alert.Subject);
        Assert.Equal(new CallbackProgress("callback-call-call-5", CallbackProgressKind.ClaimBreached, Start.AddHours(25)), context.Progress[^1]);
        Assert.Equal("unclaimed after every tier; ops alerted; still claimable until 2026-11-24 16:00 UTC", context.Status.Text);

        context.Raise(FlowEvents.CallbackClaimed, new CallbackClaim("sup-9", context.Now));
        Assert.Equal(CallbackProgressKind.ClaimSeen, context.Progress[^1].Kind);
        context.Raise(FlowEvents.CallbackCompleted, new CallbackCompletion("sup-9", null));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((SupervisorCallbackOutcome.Completed, "sup-9"), (output.Outcome, output.ClaimedBy));
        Assert.Equal(["supervisor", "supervisor", "manager", "manager", "ops"], output.TiersNotified);
    }

    [Fact]
    public void ClaimOnTheRowWhoseEventNeverCame_TheFlowTakesTheClaimFromTheRow()
    {
        // Chaos found it: a worker killed while holding the claim event (or a slow queue) let the claim period pass, and
        // the flow ended Breached with nobody told, though the task was claimed and later completed.
        var recorded = 0;
        var (context, run) = Request("call-7", supervisorAvailable: false, arrange: c => c
            .OnActivity(nameof(RecordCallbackProgressActivity), input => ((CallbackProgress)input!).Kind != CallbackProgressKind.TierNotified || ++recorded == 1)
            .OnActivity(nameof(ReadCallbackClaimActivity), _ => new CallbackClaim("sup-3", c.Now)));

        context.Advance(TimeSpan.FromMinutes(15));
        Assert.Empty(context.WithSubject("callback.reminder"));
        context.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal("callback-call-call-7", Assert.Single(context.Activities, a => a.Name == nameof(ReadCallbackClaimActivity)).Input);
        Assert.Equal("WaitingForCompletion", context.Status.Phase);
        context.Raise(FlowEvents.CallbackCompleted, new CallbackCompletion("sup-3", "resolved"));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((SupervisorCallbackOutcome.Completed, "sup-3"), (output.Outcome, output.ClaimedBy));
        Assert.Empty(context.On(NotificationTopic.OpsAlerts));
    }

    [Fact]
    public void NeverClaimed_EndsBreachedWithASecondOpsAlert()
    {
        var (context, run) = Request("call-6", supervisorAvailable: false);

        context.Advance(TimeSpan.FromHours(25));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((SupervisorCallbackOutcome.Breached, null, "callback-call-call-6"), (output.Outcome, output.ClaimedBy, output.CallbackId));
        Assert.Equal(["callback.unclaimed", "callback.abandoned"], context.On(NotificationTopic.OpsAlerts).Select(n => n.Subject));
        Assert.Equal("Abandoned", context.Status.Phase);
    }

    [Fact]
    public void CompletionDeadlineMissed_AlertsOps()
    {
        var (context, run) = Request("call-8", supervisorAvailable: false);
        context.Raise(FlowEvents.CallbackClaimed, new CallbackClaim("sup-1", context.Now));

        context.Advance(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1));
        Assert.Empty(context.On(NotificationTopic.OpsAlerts));
        context.Advance(TimeSpan.FromSeconds(1));

        var output = OrchestrationContextMock.OutputOf(run);
        Assert.Equal((SupervisorCallbackOutcome.Breached, "sup-1"), (output.Outcome, output.ClaimedBy));
        Assert.Equal(["supervisor", "ops"], output.TiersNotified);
        var alert = Assert.Single(context.On(NotificationTopic.OpsAlerts));
        Assert.Equal(("callback.completion-breached", "sup-1"), (alert.Subject, alert.Body.GetProperty("claimedBy").GetString()));
        Assert.Equal(new CallbackProgress("callback-call-call-8", CallbackProgressKind.CompletionBreached, Start.AddHours(4)), context.Progress[^1]);
        Assert.Equal("Breached", context.Status.Phase);
    }

    [Fact]
    public void HighPriorityCallback_SaysSoToEveryTier()
    {
        var context = new OrchestrationContextMock("callback-medical-call-9", FlowNames.SupervisorCallback, Start);
        context.Run(new SupervisorCallbackOrchestration(), new SupervisorCallbackInput("cust-9", "call-9", "agent-7", false, CallbackPriority.High, CallbackReason.MedicalTransferFailed, "call"));

        var told = Assert.Single(context.WithSubject("callback.claim-requested"));
        Assert.StartsWith("HIGH PRIORITY: customer cust-9 is owed a call back (callback-medical-call-9).", told.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("High", told.Properties["severity"]);
        Assert.Equal(CallbackPriority.High, ((CallbackTask)context.Activities.Single(a => a.Name == nameof(OpenCallbackTaskActivity)).Input!).Priority);
    }

    [Fact]
    public void ChannelRequest_OpensATaskWithoutACall()
    {
        var context = new OrchestrationContextMock("callback-request-web-77", FlowNames.SupervisorCallback, Start);
        context.Run(new SupervisorCallbackOrchestration(), new SupervisorCallbackInput("cust-8", null, null, false, CallbackPriority.Normal, CallbackReason.ChannelRequest, "web"));

        var task = (CallbackTask)context.Activities.Single(a => a.Name == nameof(OpenCallbackTaskActivity)).Input!;
        Assert.Equal((CallbackReason.ChannelRequest, null), (task.Reason, task.CallId));
        var created = Assert.Single(context.On(NotificationTopic.CallbackTasks));
        Assert.False(created.Properties.ContainsKey("callId"));
        Assert.Equal("web", created.Body.GetProperty("channel").GetString());
        Assert.Empty(context.CommandsSent);
    }

    private static (OrchestrationContextMock Context, Task<SupervisorCallbackOutput> Run) Request(string callId, bool supervisorAvailable, Action<OrchestrationContextMock>? arrange = null)
    {
        var context = new OrchestrationContextMock(BusinessKeys.SupervisorCallback(callId), FlowNames.SupervisorCallback, Start);
        arrange?.Invoke(context);
        var run = context.Run(
            new SupervisorCallbackOrchestration(),
            new SupervisorCallbackInput("cust-" + callId[5..], callId, "agent-1", supervisorAvailable, CallbackPriority.Normal, CallbackReason.SupervisorRequested, "call"));
        return (context, run);
    }
}
