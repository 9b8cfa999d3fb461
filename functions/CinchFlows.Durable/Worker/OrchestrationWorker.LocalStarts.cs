using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Storage.Azure;

namespace CinchFlows.Durable.Worker;

/// <summary>Starts created by this process's client, stepped here without a queue round trip (<see cref="LocalStarts"/>).</summary>
public sealed partial class OrchestrationWorker
{
    private int localStartsRunning;

    /// <summary>Local starts stepping at once; more go through the queue, so a burst waits there rather than in memory.</summary>
    internal int MaxLocalStarts { get; set; } = 64;

    /// <summary>
    /// Steps the instance the client just committed as <paramref name="created"/> in the background, from that snapshot;
    /// false (and nothing done) when this worker is stopping, its local slots are full or the start is delayed.
    /// </summary>
    internal bool TryStartLocally(InstanceSnapshot created, WorkMessage wake, StorageAdmission? admission)
    {
        if (draining.IsCancellationRequested || wake.VisibleAt is not null)
        {
            return false;
        }

        if (Interlocked.Increment(ref localStartsRunning) > MaxLocalStarts)
        {
            Interlocked.Decrement(ref localStartsRunning);
            return false;
        }

        // The client's commit is the newest state of a brand-new instance (a stale entry of a purged run is replaced).
        cache.Set(new CachedInstance(created, []));
        RunInBackground(async () =>
        {
            // The webhook or API call that started the flow answers now: the step (replay included) is the worker's own
            // work, on another thread and behind the worker's storage gate.
            await Task.Yield();
            using var background = admission?.EnterBackground();
            try
            {
                await DeliverLocallyAsync(wake, stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref localStartsRunning);
            }
        });
        return true;
    }
}
