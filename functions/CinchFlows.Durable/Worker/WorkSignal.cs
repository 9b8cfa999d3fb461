namespace CinchFlows.Durable.Worker;

/// <summary>
/// Wakes this process's poller when it sent work itself (a client start or event, a local timer coming due), so an idle
/// worker can back off its polling without making local work wait for the next poll.
/// </summary>
public sealed class WorkSignal
{
    private readonly Lock gate = new();
    private TaskCompletionSource pulse = NewSource();
    private bool pending;

    /// <summary>Wakes whoever waits now.</summary>
    public void Pulse()
    {
        TaskCompletionSource toRelease;
        lock (gate)
        {
            pending = true;
            toRelease = pulse;
            pulse = NewSource();
        }

        toRelease.TrySetResult();
    }

    /// <summary>Waits for a pulse or until <paramref name="timeout"/> passes on <paramref name="timeProvider"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Task waitFor;
        lock (gate)
        {
            if (pending)
            {
                // A pulse came while the caller was busy: don't sleep past it.
                pending = false;
                return;
            }

            waitFor = pulse.Task;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, timeProvider, cts.Token);
        await Task.WhenAny(waitFor, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        lock (gate)
        {
            pending = false;
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
