namespace CinchFlows.Durable.Tests.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping a guessed time.</summary>
internal static class Waiting
{
    /// <summary>Returns once <paramref name="condition"/> holds, or throws after <paramref name="timeout"/> (default 15 s).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }
}
