namespace CinchFlows.Durable.Storage;

/// <summary>
/// Where instances, their histories and the work queue live. Two implementations: in memory (tests, driven by a
/// <see cref="TimeProvider"/>) and Azure Storage (Tables for state, a Storage Queue for work).
/// </summary>
public interface IOrchestrationStore
{
    /// <summary>Creates tables and queues if missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads the status row and the whole history of one instance; null if unknown.</summary>
    Task<InstanceSnapshot?> LoadAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Reads only the status row of one instance; null if unknown.</summary>
    Task<InstanceRecord?> GetRecordAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one step atomically (status row, new history chunk; the outbox is part of the row). With an expected ETag
    /// it replaces the row only if unchanged; without one it creates the instance only if it does not exist.
    /// </summary>
    Task<CommitOutcome> CommitAsync(InstanceCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Removes dispatched messages from the outbox of <paramref name="current"/> (the status row as it is at
    /// <paramref name="etag"/>) if the row is still at that ETag: one guarded write. Returns the new ETag, or null on conflict.
    /// </summary>
    Task<string?> RemoveFromOutboxAsync(InstanceRecord current, string etag, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Lists instances, newest storage order first is not promised; pages with a continuation token.</summary>
    Task<InstancePage> QueryAsync(InstanceQuery query, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Deletes an instance and its history; returns how many instances were deleted (0 or 1).</summary>
    Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Finds instances that need the sweeper: any instance (finished ones too: a child's last step may owe its parent a
    /// message) whose non-empty outbox is untouched since before <paramref name="outboxOlderThan"/>, and running
    /// instances with a timer due before <paramref name="timerDueBefore"/>.
    /// </summary>
    Task<IReadOnlyList<InstanceRecord>> FindSweepCandidatesAsync(DateTimeOffset outboxOlderThan, DateTimeOffset timerDueBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a message on the work queue, invisible until about its <see cref="WorkMessage.VisibleAt"/>: up to a second
    /// early where the queue counts whole seconds, and capped at <see cref="MaxVisibilityDelay"/> (longer timers are re-sent).
    /// </summary>
    Task SendAsync(WorkMessage message, CancellationToken cancellationToken);

    /// <summary>Takes up to <paramref name="maxMessages"/> visible messages, hiding them for <paramref name="visibilityTimeout"/>.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Deletes a handled message.</summary>
    Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>Makes a message visible again after <paramref name="delay"/>: to retry later, or to keep it hidden while still working on it.</summary>
    Task ReleaseAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves a message to the poison queue with the reason and deletes it from the work queue.</summary>
    Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken);

    /// <summary>Reads the poison queue (for ops and tests) without removing anything.</summary>
    Task<IReadOnlyList<PoisonMessage>> PeekPoisonAsync(int maxMessages, CancellationToken cancellationToken);

    /// <summary>Checks that storage answers; throws with the reason when it does not.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>The longest visibility delay the queue allows; longer timers are chained.</summary>
    TimeSpan MaxVisibilityDelay { get; }
}
