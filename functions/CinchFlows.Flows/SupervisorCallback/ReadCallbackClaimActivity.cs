using CinchFlows.Flows.Callbacks;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>
/// Reads who holds a Call Back Task, from its row: the flow's fallback when the row says claimed but the claim event
/// has not arrived (a worker killed while holding it, or a slow queue). Null when nobody holds it.
/// </summary>
internal sealed class ReadCallbackClaimActivity(CallbackTaskClient callbacks) : TaskActivity<string, CallbackClaim?>
{
    public override async Task<CallbackClaim?> RunAsync(TaskActivityContext context, string input) =>
        await callbacks.GetAsync(input, CancellationToken.None).ConfigureAwait(false) is { ClaimedBy: { } holder } task
            ? new CallbackClaim(holder, task.ClaimedTime ?? task.CreatedTime)
            : null;
}
