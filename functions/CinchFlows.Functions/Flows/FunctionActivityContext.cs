using Microsoft.DurableTask;

namespace CinchFlows.Functions.Flows;

/// <summary>The context a flow's <see cref="TaskActivity{TInput, TOutput}"/> runs with when an <c>[ActivityTrigger]</c> function calls it.</summary>
/// <param name="name">The activity's name (its function's name).</param>
/// <param name="instanceId">The instance id of the orchestration that scheduled it.</param>
internal sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    /// <inheritdoc/>
    public override TaskName Name { get; } = name;

    /// <inheritdoc/>
    public override string InstanceId { get; } = instanceId;
}
