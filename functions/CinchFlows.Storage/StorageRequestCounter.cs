using System.Collections.Concurrent;

namespace CinchFlows.Storage;

/// <summary>
/// Counts every HTTP attempt to storage by the component that sent it (<c>runtime</c>: the Durable Task backend;
/// <c>webhook-receipts</c>, <c>callback-tasks</c>, <c>escalation-acks</c>, <c>notifications</c>,
/// <c>callback-requests</c>: the app). Retries count too: each one is billed. Shown on <c>GET /api/health</c>.
/// It also keeps when storage last answered and since when it has failed without answering, which readiness reads:
/// a busy service whose storage answers slowly is still ready; one whose storage stopped answering is not.
/// </summary>
/// <param name="timeProvider">The clock of the answers; the system clock when null.</param>
public sealed class StorageRequestCounter(TimeProvider? timeProvider = null)
{
    /// <summary>The component name of the Durable Task backend's requests.</summary>
    public const string Runtime = "runtime";

    private readonly ConcurrentDictionary<string, StrongBox<long>> counts = new(StringComparer.Ordinal);
    private readonly TimeProvider clock = timeProvider ?? TimeProvider.System;
    private readonly Lock answers = new();
    private DateTimeOffset? lastAnswered;
    private DateTimeOffset? failingSince;
    private string? lastFailure;

    /// <summary>Requests sent so far, all components together.</summary>
    public long Total => counts.Values.Sum(c => Interlocked.Read(ref c.Value));

    /// <summary>Requests sent so far, per component.</summary>
    public IReadOnlyDictionary<string, long> ByComponent =>
        counts.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    /// <summary>Counts one request of <paramref name="component"/>.</summary>
    public void Add(string component) => Interlocked.Increment(ref counts.GetOrAdd(component, _ => new StrongBox<long>()).Value);

    /// <summary>When storage last answered a request (any answer but a 5xx), or null when it never has in this process.</summary>
    public DateTimeOffset? LastAnswered
    {
        get
        {
            lock (answers)
            {
                return lastAnswered;
            }
        }
    }

    /// <summary>
    /// Since when storage has failed every request without answering one (connection refused, network timeout, 5xx),
    /// with the last failure's gist; null when its last word was an answer.
    /// </summary>
    public (DateTimeOffset Since, string Reason)? Failing
    {
        get
        {
            lock (answers)
            {
                return failingSince is { } since ? (since, lastFailure ?? "unknown") : null;
            }
        }
    }

    /// <summary>Records that storage answered a request just now.</summary>
    public void Answered()
    {
        var now = clock.GetUtcNow();
        lock (answers)
        {
            lastAnswered = now;
            failingSince = null;
            lastFailure = null;
        }
    }

    /// <summary>Records a request storage did not answer (or answered with a 5xx); <paramref name="reason"/> in a line.</summary>
    public void Failed(string reason)
    {
        var now = clock.GetUtcNow();
        lock (answers)
        {
            failingSince ??= now;
            lastFailure = reason;
        }
    }

    /// <summary>A box for a counter that <see cref="Interlocked"/> can update.</summary>
    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}
