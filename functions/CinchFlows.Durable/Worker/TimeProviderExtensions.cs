namespace CinchFlows.Durable.Worker;

/// <summary>Waiting for a point in time on a <see cref="TimeProvider"/>.</summary>
internal static class TimeProviderExtensions
{
    /// <summary>Completes at or after <paramref name="at"/>, never before: system timers may wake a few milliseconds early.</summary>
    public static async Task WaitUntilAsync(this TimeProvider timeProvider, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var wait = at - timeProvider.GetUtcNow(); wait > TimeSpan.Zero; wait = at - timeProvider.GetUtcNow())
        {
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
