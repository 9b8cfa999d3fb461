using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Worker;

/// <summary>
/// The histories this worker stepped last, least recently used evicted first: a warm instance steps without reading
/// storage (the commit's ETag check catches anyone who changed it meanwhile).
/// </summary>
internal sealed class InstanceCache(int capacity)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<CachedInstance>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedInstance> order = new();

    public CachedInstance? Get(string instanceId)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(instanceId, out var node))
            {
                return null;
            }

            order.Remove(node);
            order.AddFirst(node);
            return node.Value;
        }
    }

    public void Set(CachedInstance instance)
    {
        if (capacity == 0 || instance.Snapshot.Record.IsTerminal)
        {
            Remove(instance.Snapshot.Record.InstanceId);
            return;
        }

        lock (gate)
        {
            if (entries.Remove(instance.Snapshot.Record.InstanceId, out var old))
            {
                order.Remove(old);
            }

            entries[instance.Snapshot.Record.InstanceId] = order.AddFirst(instance);
            while (entries.Count > capacity && order.Last is { } last)
            {
                order.RemoveLast();
                entries.Remove(last.Value.Snapshot.Record.InstanceId);
            }
        }
    }

    public void Remove(string instanceId)
    {
        lock (gate)
        {
            if (entries.Remove(instanceId, out var node))
            {
                order.Remove(node);
            }
        }
    }
}

/// <summary>A cached instance and the outbox messages this worker has already put on the queue (dropped from the outbox at the next commit).</summary>
internal sealed record CachedInstance(InstanceSnapshot Snapshot, HashSet<string> Dispatched);
