using System.Globalization;
using System.Text.Json;
using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage;

/// <summary>
/// The store for unit tests: everything in memory, time from a <see cref="TimeProvider"/> (a fake clock makes timers
/// testable without waiting). Payloads go through the same JSON as in Azure Storage, and requests are counted as Azure
/// would bill them, so step costs can be asserted exactly.
/// </summary>
public sealed class InMemoryOrchestrationStore : IOrchestrationStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> instances = new(StringComparer.Ordinal);
    private readonly List<QueueEntry> queue = [];
    private readonly List<PoisonMessage> poison = [];
    private readonly TimeProvider timeProvider;
    private readonly DurableMetrics metrics;
    private long etagCounter;
    private long sequence;

    /// <summary>Creates an empty store.</summary>
    public InMemoryOrchestrationStore(TimeProvider timeProvider, DurableMetrics metrics)
    {
        this.timeProvider = timeProvider;
        this.metrics = metrics;
    }

    /// <summary>When set, every call throws as if storage were down.</summary>
    public bool Unavailable { get; set; }

    /// <inheritdoc/>
    public TimeSpan MaxVisibilityDelay => TimeSpan.FromDays(6);

    /// <summary>Messages on the work queue, visible or not.</summary>
    public int QueueLength
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<InstanceSnapshot?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        Count("table", "query");
        lock (gate)
        {
            if (!instances.TryGetValue(instanceId, out var entry))
            {
                return Task.FromResult<InstanceSnapshot?>(null);
            }

            var history = entry.Chunks.SelectMany(c => JsonSerializer.Deserialize<List<HistoryEvent>>(c, DurableJson.Options)!).ToList();
            return Task.FromResult<InstanceSnapshot?>(new InstanceSnapshot(Read(entry.Record), history, entry.ETag));
        }
    }

    /// <inheritdoc/>
    public Task<InstanceRecord?> GetRecordAsync(string instanceId, CancellationToken cancellationToken)
    {
        Count("table", "get");
        lock (gate)
        {
            return Task.FromResult(instances.TryGetValue(instanceId, out var entry) ? Read(entry.Record) : null);
        }
    }

    /// <inheritdoc/>
    public Task<CommitOutcome> CommitAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        Count("table", "batch");
        lock (gate)
        {
            var exists = instances.TryGetValue(commit.Record.InstanceId, out var entry);
            if (commit.ExpectedETag is null ? exists : !exists || entry!.ETag != commit.ExpectedETag)
            {
                return Task.FromResult(CommitOutcome.Conflict);
            }

            entry ??= new Entry();
            string? chunk = null;
            if (commit.NewEvents.Count > 0)
            {
                if (entry.Chunks.Count != commit.Record.HistoryChunks - 1)
                {
                    throw new InvalidOperationException($"History chunk {commit.Record.HistoryChunks - 1} of '{commit.Record.InstanceId}' is out of sequence (have {entry.Chunks.Count}).");
                }

                chunk = JsonSerializer.Serialize(commit.NewEvents, DurableJson.Options);
                EntitySize.EnsureFits(chunk.Length, $"History chunk {commit.Record.HistoryChunks - 1} of instance '{commit.Record.InstanceId}'");
            }

            var record = JsonSerializer.Serialize(commit.Record, DurableJson.Options);
            EntitySize.EnsureFits(record.Length, $"The status row of instance '{commit.Record.InstanceId}'");
            if (chunk is not null)
            {
                entry.Chunks.Add(chunk);
            }

            entry.Record = record;
            entry.ETag = NextETag();
            instances[commit.Record.InstanceId] = entry;
            return Task.FromResult(new CommitOutcome(entry.ETag));
        }
    }

    /// <inheritdoc/>
    public Task<string?> RemoveFromOutboxAsync(InstanceRecord current, string etag, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(messageIds);
        Count("table", "replace");
        lock (gate)
        {
            if (!instances.TryGetValue(current.InstanceId, out var entry) || entry.ETag != etag)
            {
                return Task.FromResult<string?>(null);
            }

            entry.Record = JsonSerializer.Serialize(current with { Outbox = [.. current.Outbox.Where(m => !messageIds.Contains(m.Id))] }, DurableJson.Options);
            entry.ETag = NextETag();
            return Task.FromResult<string?>(entry.ETag);
        }
    }

    /// <inheritdoc/>
    public Task<InstancePage> QueryAsync(InstanceQuery query, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Count("table", "query");
        lock (gate)
        {
            var matching = instances
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Where(p => continuationToken is null || string.CompareOrdinal(p.Key, continuationToken) >= 0)
                .Select(p => Read(p.Value.Record))
                .Where(r => query.RuntimeStatus is not { Count: > 0 } statuses || statuses.Contains(r.RuntimeStatus))
                .Where(r => query.CreatedFrom is null || r.CreatedTime >= query.CreatedFrom)
                .Where(r => query.CreatedTo is null || r.CreatedTime <= query.CreatedTo)
                .Where(r => query.InstanceIdPrefix is null || r.InstanceId.StartsWith(query.InstanceIdPrefix, StringComparison.Ordinal))
                .Take(query.PageSize + 1)
                .ToList();
            var next = matching.Count > query.PageSize ? matching[^1].InstanceId : null;
            var page = matching.Take(query.PageSize)
                .Select(r => query.FetchInputsAndOutputs ? r : r with { Input = null, Output = null, CustomStatus = null })
                .ToList();
            return Task.FromResult(new InstancePage(page, next));
        }
    }

    /// <inheritdoc/>
    public Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        Count("table", "query");
        lock (gate)
        {
            if (!instances.Remove(instanceId))
            {
                return Task.FromResult(0);
            }
        }

        Count("table", "batch");
        return Task.FromResult(1);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<InstanceRecord>> FindSweepCandidatesAsync(DateTimeOffset outboxOlderThan, DateTimeOffset timerDueBefore, CancellationToken cancellationToken)
    {
        Count("table", "query");
        lock (gate)
        {
            IReadOnlyList<InstanceRecord> found = [.. instances.Values
                .Select(e => Read(e.Record))
                .Where(r => (r.DispatchableOutboxCount > 0 && r.LastUpdatedTime < outboxOlderThan) || (!r.IsTerminal && r.NextTimerAt is { } t && t < timerDueBefore))];
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc/>
    public Task SendAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.Serialize(message, DurableJson.Options);
        QueueMessageSize.EnsureFits(message, body);
        Count("queue", "put");
        var now = timeProvider.GetUtcNow();
        var visibleAt = message.VisibleAt is { } at && at > now ? Min(at, now + MaxVisibilityDelay) : now;
        lock (gate)
        {
            queue.Add(new QueueEntry(body, ++sequence) { VisibleAt = visibleAt });
        }

        return Task.CompletedTask;
    }

    /// <summary>Puts a raw body on the work queue, as a foreign or broken producer would.</summary>
    public void SendRaw(string body)
    {
        lock (gate)
        {
            queue.Add(new QueueEntry(body, ++sequence) { VisibleAt = timeProvider.GetUtcNow() });
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        Count("queue", "get");
        var now = timeProvider.GetUtcNow();
        var received = new List<ReceivedMessage>();
        lock (gate)
        {
            foreach (var entry in queue.Where(e => e.VisibleAt <= now).OrderBy(e => e.VisibleAt).ThenBy(e => e.Sequence).Take(maxMessages))
            {
                entry.VisibleAt = now + visibilityTimeout;
                entry.DequeueCount++;
                entry.PopReceipt = NextETag();
                received.Add(Parse(entry.Body, entry.DequeueCount, new Receipt(entry.Sequence, entry.PopReceipt)));
            }
        }

        return Task.FromResult<IReadOnlyList<ReceivedMessage>>(received);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Receipt is HostDelivery delivery)
        {
            delivery.Complete();
            return Task.CompletedTask;
        }

        Count("queue", "delete");
        lock (gate)
        {
            var receipt = (Receipt)message.Receipt;
            queue.RemoveAll(e => e.Sequence == receipt.Sequence && e.PopReceipt == receipt.PopReceipt);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Receipt is HostDelivery delivery)
        {
            delivery.Retry(delay);
            return Task.CompletedTask;
        }

        Count("queue", "update");
        lock (gate)
        {
            var receipt = (Receipt)message.Receipt;
            var entry = queue.Find(e => e.Sequence == receipt.Sequence && e.PopReceipt == receipt.PopReceipt);
            entry?.VisibleAt = timeProvider.GetUtcNow() + delay;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Count("queue", "put");
        lock (gate)
        {
            poison.Add(new PoisonMessage(message.Message?.Id, message.Message?.InstanceId, reason, message.RawBody, timeProvider.GetUtcNow()));
        }

        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PoisonMessage>> PeekPoisonAsync(int maxMessages, CancellationToken cancellationToken)
    {
        Count("queue", "peek");
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<PoisonMessage>>([.. poison.Take(maxMessages)]);
        }
    }

    /// <inheritdoc/>
    public Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        Count("table", "query");
        return Task.CompletedTask;
    }

    internal static ReceivedMessage Parse(string body, long dequeueCount, object receipt)
    {
        try
        {
            var message = JsonSerializer.Deserialize<WorkMessage>(body, DurableJson.Options);
            return message is null || message.Event is null || string.IsNullOrEmpty(message.InstanceId) || string.IsNullOrEmpty(message.Id)
                ? new ReceivedMessage(null, dequeueCount, body, receipt) { ReadError = "The message is not a work message (id, kind, instanceId and event are required)." }
                : new ReceivedMessage(message, dequeueCount, body, receipt);
        }
        catch (JsonException ex)
        {
            return new ReceivedMessage(null, dequeueCount, body, receipt) { ReadError = $"The message is not valid JSON for a work message: {ex.Message}" };
        }
    }

    private static InstanceRecord Read(string json) => JsonSerializer.Deserialize<InstanceRecord>(json, DurableJson.Options)!;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private string NextETag() => (++etagCounter).ToString(CultureInfo.InvariantCulture);

    private void Count(string service, string method)
    {
        if (Unavailable)
        {
            throw new InvalidOperationException("In-memory storage is marked unavailable.");
        }

        metrics.StorageRequest(service, method);
    }

    private sealed class Entry
    {
        public string Record { get; set; } = string.Empty;

        public List<string> Chunks { get; } = [];

        public string ETag { get; set; } = string.Empty;
    }

    private sealed class QueueEntry(string body, long sequence)
    {
        public string Body { get; } = body;

        public long Sequence { get; } = sequence;

        public DateTimeOffset VisibleAt { get; set; }

        public long DequeueCount { get; set; }

        public string? PopReceipt { get; set; }
    }

    private sealed record Receipt(long Sequence, string? PopReceipt);
}
