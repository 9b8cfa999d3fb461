namespace CinchFlows.Durable.Worker;

/// <summary>
/// Pulses the <see cref="WorkSignal"/> when a timer this worker knows of comes due, so the poller can back off when idle
/// and still fetch timer messages the moment they become visible. One <see cref="ITimer"/> for all of them.
/// </summary>
internal sealed class WakeUpScheduler : IDisposable
{
    /// <summary>Longest single wait of the underlying timer (system timers refuse waits over 49.7 days); it re-arms after.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly Lock gate = new();
    private readonly SortedSet<DateTimeOffset> due = [];
    private readonly TimeProvider timeProvider;
    private readonly WorkSignal signal;
    private readonly ITimer timer;
    private DateTimeOffset? armedFor;

    public WakeUpScheduler(TimeProvider timeProvider, WorkSignal signal)
    {
        this.timeProvider = timeProvider;
        this.signal = signal;
        timer = timeProvider.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Pending
    {
        get
        {
            lock (gate)
            {
                return due.Count;
            }
        }
    }

    public void Schedule(DateTimeOffset at)
    {
        lock (gate)
        {
            if (due.Add(at))
            {
                Arm();
            }
        }
    }

    public void Dispose() => timer.Dispose();

    private void Fire()
    {
        var pulse = false;
        try
        {
            var now = timeProvider.GetUtcNow();
            lock (gate)
            {
                while (due.Count > 0 && due.Min <= now)
                {
                    due.Remove(due.Min);
                    pulse = true;
                }

                armedFor = null;
                Arm();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while firing: the worker is stopping.
        }

        if (pulse)
        {
            signal.Pulse();
        }
    }

    private void Arm()
    {
        if (due.Count == 0 || (armedFor is { } armed && armed <= due.Min))
        {
            return;
        }

        var wait = due.Min - timeProvider.GetUtcNow();
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
        armedFor = timeProvider.GetUtcNow() + wait;
        timer.Change(wait, Timeout.InfiniteTimeSpan);
    }
}
