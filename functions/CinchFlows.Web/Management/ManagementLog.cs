namespace CinchFlows.Web.Management;

/// <summary>Log messages of the management API (event ids 2100-2199).</summary>
internal static partial class ManagementLog
{
    /// <summary>The logger category of the management API.</summary>
    public const string Category = "CinchFlows.Web.Management";

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Start of {Name} as {InstanceId} requested; created: {Created}.")]
    public static partial void StartRequested(this ILogger logger, string name, string instanceId, bool created);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Event {EventName} raised on {InstanceId}.")]
    public static partial void EventRaised(this ILogger logger, string eventName, string instanceId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "{Operation} requested for {InstanceId} with reason code {ReasonCode}.")]
    public static partial void ControlRequested(this ILogger logger, string operation, string instanceId, string reasonCode);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Instance {InstanceId} purged.")]
    public static partial void Purged(this ILogger logger, string instanceId);
}
