namespace CinchFlows.Standalone.Hosting;

/// <summary>The loop of the standalone host's timers (retention, stuck flows): the Functions app has timer triggers instead.</summary>
internal static class PeriodicWork
{
    /// <summary>
    /// Runs <paramref name="work"/> every <paramref name="interval"/>, the first time an interval after start, until
    /// <paramref name="stoppingToken"/>; a run that throws is handed to <paramref name="failed"/> and the next tick tries
    /// again. Switched off (<paramref name="enabled"/> false), it calls <paramref name="disabled"/> and returns.
    /// </summary>
    public static async Task RunAsync(
        bool enabled,
        TimeSpan interval,
        TimeProvider timeProvider,
        Func<CancellationToken, Task> work,
        Action disabled,
        Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(disabled);
        ArgumentNullException.ThrowIfNull(failed);
        if (!enabled)
        {
            disabled();
            return;
        }

        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await work(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A storage outage must not stop the host; the next tick tries again.
                failed(ex);
            }
        }
    }
}
