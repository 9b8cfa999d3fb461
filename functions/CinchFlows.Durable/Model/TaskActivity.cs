namespace CinchFlows.Durable;

/// <summary>
/// Base class of an activity: the place for I/O. Activities run at least once, so every side effect they cause must
/// carry an idempotency key (<see cref="TaskActivityContext.IdempotencyKey"/> is stable across retries of one step).
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    /// <inheritdoc/>
    public Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public Type OutputType => typeof(TOutput);

    /// <summary>The activity's code.</summary>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    /// <inheritdoc/>
    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(false);
}
