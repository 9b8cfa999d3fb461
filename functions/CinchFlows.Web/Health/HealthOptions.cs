using System.ComponentModel.DataAnnotations;

namespace CinchFlows.Web.Health;

/// <summary>Settings of the health endpoint (configuration section <c>Health</c>).</summary>
internal sealed class HealthOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Health";

    /// <summary>How long storage may take to answer before the app reports itself unhealthy. Default is 3 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
