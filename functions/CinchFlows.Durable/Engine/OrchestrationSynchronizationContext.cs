namespace CinchFlows.Durable.Engine;

/// <summary>
/// Runs orchestration continuations on the replaying thread, one at a time, in the order they were posted: the code
/// advances only when the executor delivers a history event, which is what makes replay deterministic.
/// </summary>
internal sealed class OrchestrationSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> work = new();

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (work)
        {
            work.Enqueue((d, state));
        }
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state) => d(state);

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs posted continuations until none is left.</summary>
    public void RunPending()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (work)
            {
                if (!work.TryDequeue(out next))
                {
                    return;
                }
            }

            next.Callback(next.State);
        }
    }
}
