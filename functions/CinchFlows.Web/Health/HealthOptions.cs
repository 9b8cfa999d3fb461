using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Web.Health;

/// <summary>Settings of the health endpoint (configuration section <c>Health</c>).</summary>
internal sealed class HealthOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Health";

    /// <summary>
    /// How long the readiness probe waits for storage when nothing has answered within <see cref="RecentAnswer"/>
    /// (an idle process). Default is 3 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A storage answer to any of this process's requests (the engine's polls, the app's reads) this recent makes the
    /// process ready without a probe: a busy process whose storage answers slowly stays in rotation. Default is 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RecentAnswer { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long storage must fail every request, answering none, before the process is not ready: one timeout under
    /// load is not an outage. Default is 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FailAfter { get; set; } = TimeSpan.FromSeconds(5);
}
