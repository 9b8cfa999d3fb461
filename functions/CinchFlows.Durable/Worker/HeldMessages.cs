using System.Collections.Concurrent;
using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Worker;

/// <summary>
/// Messages this worker still works on (a long activity, one waiting for a free slot). Each poll renews the ones
/// whose hiding runs out soon, so the queue neither hands them to another worker nor counts them towards poison while
/// nothing has gone wrong. Renewing from the poll loop needs no timer per message and is deterministic under a fake clock.
/// </summary>
internal sealed class HeldMessages(IOrchestrationStore store, TimeProvider timeProvider, TimeSpan visibilityTimeout)
{
    private readonly ConcurrentDictionary<ReceivedMessage, Hold> held = new(ReferenceEqualityComparer.Instance);

    public void Add(ReceivedMessage message) =>
        held[message] = new Hold(timeProvider.GetUtcNow() + (visibilityTimeout / 2));

    /// <summary>Stops renewing <paramref name="message"/>, waiting out a renewal in flight so it cannot race the delete that follows.</summary>
    public async Task RemoveAsync(ReceivedMessage message)
    {
        if (held.TryRemove(message, out var hold))
        {
            await hold.Gate.WaitAsync().ConfigureAwait(false);
            hold.Gate.Release();
        }
    }

    /// <summary>Renews every held message whose hiding ends within half the visibility timeout.</summary>
    public async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (message, hold) in held)
        {
            if (hold.RenewAt > now || !await hold.Gate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                if (held.ContainsKey(message))
                {
                    await store.ReleaseAsync(message, visibilityTimeout, cancellationToken).ConfigureAwait(false);
                    hold.RenewAt = now + (visibilityTimeout / 2);
                }
            }
            finally
            {
                hold.Gate.Release();
            }
        }
    }

    private sealed class Hold(DateTimeOffset renewAt)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset RenewAt { get; set; } = renewAt;
    }
}
