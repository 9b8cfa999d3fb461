namespace CinchFlows.Durable;

/// <summary>How a failed activity or sub-orchestration is retried: attempts, first interval, back-off, cap (Durable's <c>RetryPolicy</c>).</summary>
public sealed record RetryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="maxNumberOfAttempts">Attempts in all, the first included (at least 1).</param>
    /// <param name="firstRetryInterval">Wait before the second attempt.</param>
    /// <param name="backoffCoefficient">Each wait is the previous one times this (at least 1). Default is 1.</param>
    /// <param name="maxRetryInterval">No wait is longer than this. Default is no cap.</param>
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, TimeSpan? maxRetryInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval;
    }

    /// <summary>Attempts in all.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Wait before the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Growth of the wait.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Cap on a single wait.</summary>
    public TimeSpan? MaxRetryInterval { get; }

    /// <summary>Which failures are retried; default is all.</summary>
    public Func<TaskFailedException, bool>? HandleFailure { get; init; }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan GetDelay(int attempt)
    {
        var millis = FirstRetryInterval.TotalMilliseconds * Math.Pow(BackoffCoefficient, attempt - 1);
        var delay = TimeSpan.FromMilliseconds(Math.Min(millis, TimeSpan.MaxValue.TotalMilliseconds / 2));
        return MaxRetryInterval is { } cap && delay > cap ? cap : delay;
    }
}
