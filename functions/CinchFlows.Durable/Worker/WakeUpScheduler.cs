namespace CinchFlows.Durable.Worker;

/// <summary>
/// Pulses the <see cref="WorkSignal"/> when a timer this worker knows of comes due, so the poller can back off when idle
/// and still fetch timer messages the moment they become visible. One <see cref="ITimer"/> for all of them.
/// </summary>
internal sealed class WakeUpScheduler : IDisposable
{
    private readonly Lock gate = new();
    private readonly PriorityQueue<DateTimeOffset, DateTimeOffset> due = new();
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
            due.Enqueue(at, at);
            Arm();
        }
    }

    public void Dispose() => timer.Dispose();

    private void Fire()
    {
        var now = timeProvider.GetUtcNow();
        var pulse = false;
        lock (gate)
        {
            while (due.TryPeek(out var at, out _) && at <= now)
            {
                due.Dequeue();
                pulse = true;
            }

            armedFor = null;
            Arm();
        }

        if (pulse)
        {
            signal.Pulse();
        }
    }

    private void Arm()
    {
        if (!due.TryPeek(out var next, out _) || (armedFor is { } armed && armed <= next))
        {
            return;
        }

        armedFor = next;
        var wait = next - timeProvider.GetUtcNow();
        timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }
}
