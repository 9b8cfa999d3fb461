using CinchFlows.Flows.Callbacks;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>
/// Records the flow's progress on its Call Back Task, only where it still applies: a supervisor's claim or completion
/// that got there first is never overwritten.
/// </summary>
internal sealed class RecordCallbackProgressActivity(CallbackTaskClient callbacks) : TaskActivity<CallbackProgress, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CallbackProgress input)
    {
        var updated = await callbacks.UpdateAsync(input.CallbackId, task => Apply(task, input), CancellationToken.None).ConfigureAwait(false);
        if (updated is { Status: CallbackStatus.Breached } && input.Kind is CallbackProgressKind.ClaimBreached or CallbackProgressKind.CompletionBreached)
        {
            // At least once, like every activity: a re-run after a crash may count a breach twice.
            FlowMetrics.SlaBreached(input.Kind == CallbackProgressKind.ClaimBreached ? "callback-claim" : "callback-completion");
        }

        return updated is not null;
    }

    internal static CallbackTask? Apply(CallbackTask task, CallbackProgress progress) => progress.Kind switch
    {
        CallbackProgressKind.TierNotified when task.ClaimedBy is null && task.Status is CallbackStatus.Open =>
            task with { Tier = progress.Tier, DueTime = progress.DueTime },
        // Breached and unclaimed already: this activity's own earlier run (activities run at least once; a worker killed
        // before it committed the result runs it again). Answering "no longer applies" would tell the flow a claim came
        // first, and ops would never hear that nobody claimed the callback.
        CallbackProgressKind.ClaimBreached when task.ClaimedBy is null && task.Status is CallbackStatus.Open or CallbackStatus.Breached =>
            task with { Status = CallbackStatus.Breached, DueTime = progress.DueTime },
        CallbackProgressKind.ClaimSeen when task.ClaimedBy is not null && task.Status is CallbackStatus.Claimed or CallbackStatus.Breached =>
            task with { Status = CallbackStatus.Claimed, DueTime = progress.DueTime },
        CallbackProgressKind.CompletionBreached when task.Status is CallbackStatus.Claimed =>
            task with { Status = CallbackStatus.Breached },
        _ => null,
    };
}
