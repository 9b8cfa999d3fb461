using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Web.StuckFlows;

/// <summary>How the stuck-flow check looks (configuration section <c>StuckFlows</c>); both hosts run it with these.</summary>
internal sealed class StuckFlowOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "StuckFlows";

    /// <summary>
    /// A flow is looked at only when its status row has not changed for this long: a flow that is moving is never
    /// stuck, and the check reads a history only for quiet flows. Default is 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "StuckFlows:QuietFor must be from 1 second to 7 days.")]
    public TimeSpan QuietFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far past its own deadline (<c>customStatus.due</c>) a waiting flow with no timer left to fire must be before
    /// it counts as stuck. Default is 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "StuckFlows:OverdueGrace must be from 1 second to 7 days.")]
    public TimeSpan OverdueGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the standalone host checks (the Functions app's timer runs every 5 minutes). Default is 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "StuckFlows:Interval must be from 1 second to 1 day.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most quiet flows one check reads the history of; the oldest first. Default is 500.</summary>
    [Range(1, 100_000)]
    public int MaxChecked { get; set; } = 500;

    /// <summary>False switches the scheduled check off in both hosts (the on-demand check still answers). Default is true.</summary>
    public bool Enabled { get; set; } = true;
}
