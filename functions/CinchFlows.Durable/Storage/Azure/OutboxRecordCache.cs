using System.Collections.Concurrent;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>
/// The last status row this process wrote or read for instances with a non-empty outbox, by ETag. Removing dispatched
/// messages right after a commit then costs one request (a replace guarded by the ETag) instead of a read and a write.
/// An ETag names one exact version of a row, so a hit is always correct; a miss only costs the read.
/// </summary>
internal sealed class OutboxRecordCache
{
    // Entries leave when their outbox empties; the cap only matters when dispatches keep failing.
    private const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, (string ETag, InstanceRecord Record)> entries = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="record"/> at <paramref name="etag"/>, or forgets the instance when its outbox is empty.</summary>
    public void Remember(InstanceRecord record, string etag)
    {
        if (record.Outbox.Count == 0)
        {
            entries.TryRemove(record.InstanceId, out _);
            return;
        }

        if (entries.Count >= Capacity)
        {
            entries.Clear();
        }

        entries[record.InstanceId] = (etag, record);
    }

    /// <summary>The record of <paramref name="instanceId"/> at exactly <paramref name="etag"/>, if known.</summary>
    public InstanceRecord? Find(string instanceId, string etag) =>
        entries.TryGetValue(instanceId, out var entry) && entry.ETag == etag ? entry.Record : null;

    /// <summary>Forgets an instance.</summary>
    public void Forget(string instanceId) => entries.TryRemove(instanceId, out _);
}
