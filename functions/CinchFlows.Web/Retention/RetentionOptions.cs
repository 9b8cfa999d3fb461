using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Web.Retention;

/// <summary>How long finished work is kept (configuration section <c>Retention</c>); both hosts sweep with these.</summary>
internal sealed class RetentionOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Retention";

    /// <summary>
    /// Finished flows (completed, failed, terminated), webhook receipts, completed callback tasks and hint-ledger rows
    /// older than this are deleted, and action-log rows older than this once their flow is gone. A redelivered webhook
    /// older than this starts its flow again, so keep it well above the platform's redelivery window. Default is 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Retention:MaxAge must be from 1 hour to 3650 days.")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the standalone host sweeps (the Functions app's timer runs hourly, at minute 17). Default is 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Retention:Interval must be from 1 second to 1 day.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most flows and the most rows of each table one sweep deletes; the rest wait for the next sweep. Default is 5000.</summary>
    [Range(1, 1_000_000)]
    public int MaxPerSweep { get; set; } = 5000;

    /// <summary>False switches the sweep off in both hosts. Default is true.</summary>
    public bool Enabled { get; set; } = true;
}
