namespace CinchFlows.Web.Webhooks;

/// <summary>
/// Lets one log line through per interval and counts the rejections in between, so a flood of forged webhooks costs one
/// warning a minute instead of one per request. Default interval is one minute.
/// </summary>
internal sealed class RejectionLogThrottle(TimeProvider timeProvider, TimeSpan? interval = null)
{
    /// <summary>The interval used when none is given.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private readonly TimeSpan interval = interval ?? DefaultInterval;
    private readonly Lock gate = new();
    private DateTimeOffset nextLineAt = DateTimeOffset.MinValue;
    private int rejections;

    /// <summary>
    /// Counts one rejection; true when it should be logged, with <paramref name="rejectionsSinceLastLine"/> the rejections
    /// since the last line logged (this one included).
    /// </summary>
    public bool Count(out int rejectionsSinceLastLine)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            rejections++;
            if (now < nextLineAt)
            {
                rejectionsSinceLastLine = 0;
                return false;
            }

            rejectionsSinceLastLine = rejections;
            rejections = 0;
            nextLineAt = now + interval;
            return true;
        }
    }
}
