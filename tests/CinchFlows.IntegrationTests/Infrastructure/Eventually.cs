namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Waits on a condition with a deadline instead of sleeping a guessed time.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(condition, timeout, () => what);

    /// <param name="what">What was awaited, written when the time is up (so it can say what was last seen).</param>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what()}.");
            }

            await Task.Delay(PollInterval);
        }
    }
}
