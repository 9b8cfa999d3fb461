namespace CinchFlows.Web.Health;

/// <summary>Log messages of the health endpoint (event ids 2200-2299).</summary>
internal static partial class HealthLog
{
    /// <summary>The logger category of the health endpoint.</summary>
    public const string Category = "CinchFlows.Web.Health";

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Health check failed: {Reason}")]
    public static partial void Unhealthy(this ILogger logger, string reason, Exception? exception);
}
