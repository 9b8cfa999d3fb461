using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Replay;

/// <summary>A flow with a deliberate change, for the replay check's tests: it runs <paramref name="flow"/> through <paramref name="change"/>.</summary>
internal sealed class ChangedFlow(ITaskOrchestrator flow, Func<TaskOrchestrationContext, Func<TaskOrchestrationContext, Task<object?>>, Task<object?>> change) : ITaskOrchestrator
{
    public Type InputType => flow.InputType;

    public Type OutputType => flow.OutputType;

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) => change(context, c => flow.RunAsync(c, input));
}
