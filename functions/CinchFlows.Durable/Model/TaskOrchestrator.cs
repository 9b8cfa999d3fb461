namespace CinchFlows.Durable;

/// <summary>
/// Base class of an orchestration with typed input and output. The code is replayed from history, so it must be
/// deterministic: time, GUIDs, waits and I/O only through the <see cref="TaskOrchestrationContext"/>.
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    /// <inheritdoc/>
    public Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public Type OutputType => typeof(TOutput);

    /// <summary>The orchestration's code.</summary>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    /// <inheritdoc/>
    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(true);
}
