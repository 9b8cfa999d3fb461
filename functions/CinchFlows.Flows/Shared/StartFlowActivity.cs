using CinchFlows.Flows.Starts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Flows.Shared;

/// <summary>
/// Starts another flow without waiting for it (F1 starts F2 in scenario 2, and F3 when its transfer never connects).
/// </summary>
/// <remarks>
/// The Durable Task SDK has no fire-and-forget start from an orchestration, and a sub-orchestration would make F1 wait
/// for a flow that may run for days. So an activity schedules the instance through the client, under the deterministic
/// id the caller chose. Activities run at least once, so the start must be idempotent: <see cref="FlowStarts.StartOnceAsync"/>
/// leaves an existing instance as it is and answers "not created".
/// </remarks>
internal sealed class StartFlowActivity(DurableTaskClient client, IStartClaims claims) : TaskActivity<StartFlowRequest, StartResult>
{
    public override Task<StartResult> RunAsync(TaskActivityContext context, StartFlowRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // The SDK gives activities no cancellation token.
        return client.StartOnceAsync(claims, input.FlowName, input.Input, input.InstanceId, CancellationToken.None);
    }
}
