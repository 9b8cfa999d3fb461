using CinchFlows.Durable.History;
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
                var stale = candidate.DispatchableOutboxCount > 0 && candidate.LastUpdatedTime < staleBefore;
                var comingDue = candidate.Outbox.Any(m => m.Parked && !IsFarTimer(m, now + ParkTimersDueAfter));
                if ((stale || comingDue) && await SendOutboxAsync(candidate.InstanceId, staleBefore, now, cancellationToken).ConfigureAwait(false) && stale)
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

    /// <summary>Timers due beyond this when a step commits are parked in the outbox rather than sent (<see cref="WorkMessage.Parked"/>).</summary>
    /// <remarks>
    /// At least 5 minutes, and three sweep intervals: the sweeper finds an instance once its next timer is due within two
    /// intervals and sends what is due within this horizon, so a parked timer is always on the queue before it is due.
    /// </remarks>
    internal TimeSpan ParkTimersDueAfter => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, 3 * options.SweepInterval.Ticks));

    private static bool IsFarTimer(WorkMessage message, DateTimeOffset horizon) =>
        message.Event is TimerFiredEvent && message.VisibleAt is { } at && at > horizon;

    /// <summary>
    /// Sends an instance's outbox entries that are due: everything but parked timers when the outbox is stale (a crash
    /// left it), and parked timers coming due. Returns whether anything was sent.
    /// </summary>
    private async Task<bool> SendOutboxAsync(string instanceId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var _ = await instanceLocks.AcquireAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var snapshot = await store.LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return false;
        }

        var stale = snapshot.Record.LastUpdatedTime < staleBefore;
        var horizon = now + ParkTimersDueAfter;
        var due = snapshot.Record.Outbox.Where(m => m.Parked ? !IsFarTimer(m, horizon) : stale).ToList();
        if (due.Count == 0)
        {
            return false;
        }

        // Receivers drop repeats by message id, so re-sending something that did go out is harmless.
        foreach (var message in due)
        {
            await store.SendAsync(message.WithInputFrom(snapshot.History) with { Parked = false }, cancellationToken).ConfigureAwait(false);
        }

        if (due.Any(m => !m.Parked))
        {
            WorkerLog.OutboxRecovered(logger, instanceId, due.Count(m => !m.Parked), snapshot.Record.LastUpdatedTime);
        }

        await store.RemoveFromOutboxAsync(snapshot.Record, snapshot.ETag, [.. due.Select(m => m.Id)], cancellationToken).ConfigureAwait(false);
        cache.Remove(instanceId);
        signal.Pulse();
        return true;
    }
}
