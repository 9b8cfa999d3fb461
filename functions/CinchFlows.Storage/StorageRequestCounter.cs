using System.Collections.Concurrent;

namespace CinchFlows.Storage;

/// <summary>
/// Counts every HTTP attempt to storage by the component that sent it (<c>runtime</c>: the Durable Task backend;
/// <c>webhook-receipts</c>, <c>callback-tasks</c>, <c>escalation-acks</c>, <c>notifications</c>,
/// <c>callback-requests</c>: the app). Retries count too: each one is billed. Shown on <c>GET /api/health</c>.
/// </summary>
public sealed class StorageRequestCounter
{
    /// <summary>The component name of the Durable Task backend's requests.</summary>
    public const string Runtime = "runtime";

    private readonly ConcurrentDictionary<string, StrongBox<long>> counts = new(StringComparer.Ordinal);

    /// <summary>Requests sent so far, all components together.</summary>
    public long Total => counts.Values.Sum(c => Interlocked.Read(ref c.Value));

    /// <summary>Requests sent so far, per component.</summary>
    public IReadOnlyDictionary<string, long> ByComponent =>
        counts.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    /// <summary>Counts one request of <paramref name="component"/>.</summary>
    public void Add(string component) => Interlocked.Increment(ref counts.GetOrAdd(component, _ => new StrongBox<long>()).Value);

    /// <summary>A box for a counter that <see cref="Interlocked"/> can update.</summary>
    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}
