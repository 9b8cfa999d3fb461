using CinchFlows.Flows.SupervisorCallback;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Flows.Callbacks;

/// <summary>
/// The rules of Call Back Tasks: supervisors claim and complete (idempotent; 409 for someone else's), and the owning
/// flow is told. Every change is a conditional replace retried on conflict, so two supervisors racing for one task
/// get one winner.
/// </summary>
public sealed class CallbackTaskClient(
    ICallbackTaskStore store,
    DurableTaskClient durable,
    IOptionsMonitor<SupervisorCallbackOptions> options,
    TimeProvider time)
{
    private const int MaxConflictRetries = 20;

    /// <summary>Lists tasks by status, oldest first.</summary>
    public Task<IReadOnlyList<CallbackTask>> ListAsync(CallbackStatus? status, int max, CancellationToken cancellationToken) =>
        store.ListAsync(status, max, cancellationToken);

    /// <summary>Reads one task.</summary>
    public async Task<CallbackTask?> GetAsync(string callbackId, CancellationToken cancellationToken) =>
        (await store.GetAsync(callbackId, cancellationToken).ConfigureAwait(false))?.Task;

    /// <summary>A supervisor claims a task: the same supervisor again changes nothing; another supervisor gets a conflict.</summary>
    public async Task<CallbackChangeResult> ClaimAsync(string callbackId, string supervisorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(supervisorId);
        var now = time.GetUtcNow();
        var result = await ChangeAsync(callbackId, task => task switch
        {
            { ClaimedBy: { } holder } when holder == supervisorId => new CallbackChangeResult(CallbackChangeOutcome.AlreadyDone, task),
            { ClaimedBy: { } holder } => new CallbackChangeResult(CallbackChangeOutcome.Conflict, task, $"Callback {callbackId} is already claimed by {holder}."),
            { Status: CallbackStatus.Completed } => new CallbackChangeResult(CallbackChangeOutcome.Conflict, task, $"Callback {callbackId} is already completed."),
            // A breached task stays breached (on the board, in red) until its flow sees the claim and watches the
            // completion deadline; if the flow has ended, it stays breached until it is completed.
            _ => new CallbackChangeResult(CallbackChangeOutcome.Changed, task with
            {
                Status = task.Status == CallbackStatus.Breached ? CallbackStatus.Breached : CallbackStatus.Claimed,
                ClaimedBy = supervisorId,
                ClaimedTime = now,
                DueTime = now + options.CurrentValue.CompletionDeadline,
            }),
        }, cancellationToken).ConfigureAwait(false);

        if (result.Outcome is CallbackChangeOutcome.Changed && result.Task is { } first)
        {
            FlowMetrics.CallbackClaimed(now - first.CreatedTime, first.Priority.ToString());
        }

        if (result.Outcome is CallbackChangeOutcome.Changed or CallbackChangeOutcome.AlreadyDone && result.Task is { } claimed)
        {
            // Told again on a repeat too: the first request may have changed the task and then failed to tell the flow.
            await TellFlowAsync(claimed.FlowId, FlowEvents.CallbackClaimed, new CallbackClaim(supervisorId, claimed.ClaimedTime ?? now), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The supervisor who claimed a task completes it; anyone else gets a conflict.</summary>
    public async Task<CallbackChangeResult> CompleteAsync(string callbackId, string supervisorId, string? outcome, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(supervisorId);
        var now = time.GetUtcNow();
        var result = await ChangeAsync(callbackId, task => task switch
        {
            { ClaimedBy: null } => new CallbackChangeResult(CallbackChangeOutcome.Conflict, task, $"Callback {callbackId} is not claimed; claim it first."),
            { ClaimedBy: { } holder } when holder != supervisorId => new CallbackChangeResult(CallbackChangeOutcome.Conflict, task, $"Callback {callbackId} is claimed by {holder}, not {supervisorId}."),
            { Status: CallbackStatus.Completed } => new CallbackChangeResult(CallbackChangeOutcome.AlreadyDone, task),
            _ => new CallbackChangeResult(CallbackChangeOutcome.Changed, task with { Status = CallbackStatus.Completed, CompletedTime = now, Outcome = outcome }),
        }, cancellationToken).ConfigureAwait(false);

        if (result.Outcome is CallbackChangeOutcome.Changed or CallbackChangeOutcome.AlreadyDone && result.Task is { } completed)
        {
            await TellFlowAsync(completed.FlowId, FlowEvents.CallbackCompleted, new CallbackCompletion(supervisorId, completed.Outcome), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Opens a task (the flow's activity); an existing one is kept as it is, so a retried activity changes nothing.</summary>
    public async Task<CallbackTask> OpenAsync(CallbackTask task, CancellationToken cancellationToken) =>
        (await store.AddOrGetAsync(task, cancellationToken).ConfigureAwait(false)).Task;

    /// <summary>Applies a flow's change (a tier told, a deadline breached); null when it no longer applies (a supervisor got there first) or the task is gone.</summary>
    public async Task<CallbackTask?> UpdateAsync(string callbackId, Func<CallbackTask, CallbackTask?> change, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync(callbackId, task => change(task) is { } changed
            ? new CallbackChangeResult(CallbackChangeOutcome.Changed, changed)
            : new CallbackChangeResult(CallbackChangeOutcome.AlreadyDone, task), cancellationToken).ConfigureAwait(false);
        return result.Outcome == CallbackChangeOutcome.Changed ? result.Task : null;
    }

    private async Task<CallbackChangeResult> ChangeAsync(string callbackId, Func<CallbackTask, CallbackChangeResult> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            if (await store.GetAsync(callbackId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return new CallbackChangeResult(CallbackChangeOutcome.NotFound, null);
            }

            var decision = decide(stored.Task);
            if (decision.Outcome != CallbackChangeOutcome.Changed || decision.Task == stored.Task)
            {
                return decision;
            }

            if (await store.TryReplaceAsync(decision.Task!, stored.Version, cancellationToken).ConfigureAwait(false))
            {
                return decision;
            }
        }

        throw new InvalidOperationException($"Callback {callbackId} kept changing under {MaxConflictRetries} attempts to update it.");
    }

    private async Task TellFlowAsync(string flowId, string eventName, object payload, CancellationToken cancellationToken)
    {
        // A flow that already ended (a breach ended it, or it was terminated) is not told: the task's own row is the record now.
        await durable.RaiseIfRunningAsync(flowId, eventName, payload, cancellationToken).ConfigureAwait(false);
    }
}
