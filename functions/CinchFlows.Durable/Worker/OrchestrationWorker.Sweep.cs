using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Worker;

/// <summary>The sweeper: re-sends outboxes a crash left behind and learns of timers coming due.</summary>
public sealed partial class OrchestrationWorker
{
    /// <summary>One sweep; returns how many instances had their outbox re-sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var staleBefore = now - options.OutboxRecoveryAfter;
        var candidates = await store.FindSweepCandidatesAsync(staleBefore, now + options.SweepInterval + options.SweepInterval, cancellationToken).ConfigureAwait(false);
        var recovered = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.NextTimerAt is { } timerAt && !candidate.IsTerminal)
            {
                wakeUps.Schedule(timerAt);
            }

            try
            {
                if (candidate.Outbox.Count > 0 && candidate.LastUpdatedTime < staleBefore && await RecoverOutboxAsync(candidate.InstanceId, staleBefore, cancellationToken).ConfigureAwait(false))
                {
                    recovered++;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One instance that cannot be recovered now must not keep the sweeper from the others.
                WorkerLog.RecoveryFailed(logger, ex, candidate.InstanceId);
            }
        }

        return recovered;
    }

    private async Task<bool> RecoverOutboxAsync(string instanceId, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        using var _ = await instanceLocks.AcquireAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var snapshot = await store.LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null || snapshot.Record.Outbox.Count == 0 || snapshot.Record.LastUpdatedTime >= staleBefore)
        {
            return false;
        }

        // Receivers drop repeats by message id, so re-sending something that did go out is harmless.
        foreach (var message in snapshot.Record.Outbox)
        {
            await store.SendAsync(message.WithInputFrom(snapshot.History), cancellationToken).ConfigureAwait(false);
        }

        WorkerLog.OutboxRecovered(logger, instanceId, snapshot.Record.Outbox.Count, snapshot.Record.LastUpdatedTime);
        await store.RemoveFromOutboxAsync(snapshot.Record, snapshot.ETag, [.. snapshot.Record.Outbox.Select(m => m.Id)], cancellationToken).ConfigureAwait(false);
        cache.Remove(instanceId);
        signal.Pulse();
        return true;
    }
}
