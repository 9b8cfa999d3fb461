namespace CinchFlows.Durable;

/// <summary>Options for one activity or sub-orchestration call.</summary>
public record TaskOptions(RetryPolicy? Retry = null)
{
    /// <summary>Options with a retry policy.</summary>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}
