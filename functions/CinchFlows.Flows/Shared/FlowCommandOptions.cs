using System.ComponentModel.DataAnnotations;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.Shared;

/// <summary>How the flows retry telephony commands and notifications that fail (section <c>Flows:Commands</c>).</summary>
public sealed class FlowCommandOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Flows:Commands";

    /// <summary>Attempts in all for one command or notification. Default is 5.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt. Default is 2 seconds; at least 1 ms (the SDK's retry policy refuses zero).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Each wait is the previous one times this. Default is 2.</summary>
    [Range(1.0, 10.0)]
    public double BackoffCoefficient { get; set; } = 2.0;

    /// <summary>No wait is longer than this. Default is 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The retry policy these settings describe (a cap below the first wait is taken as the first wait: the SDK refuses it).</summary>
    public RetryPolicy ToRetryPolicy() =>
        new(MaxAttempts, FirstRetryInterval, BackoffCoefficient, MaxRetryInterval < FirstRetryInterval ? FirstRetryInterval : MaxRetryInterval);
}
