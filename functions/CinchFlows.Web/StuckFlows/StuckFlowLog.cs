namespace CinchFlows.Web.StuckFlows;

/// <summary>Log messages of the stuck-flow check and repair (event ids 3100-3199): instance ids and kinds, never contents.</summary>
internal static partial class StuckFlowLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Stuck flow {InstanceId} ({Name}): {Kind}; status row says {RuntimeStatus}, last changed {LastUpdated:o}. Ops alerted.")]
    public static partial void Found(this ILogger logger, string instanceId, string name, StuckFlowKind kind, string runtimeStatus, DateTimeOffset lastUpdated);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Stuck-flow check: {Looked} quiet flows looked at, {Found} stuck, {New} new.")]
    public static partial void Checked(this ILogger logger, int looked, int found, int @new);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Flow {InstanceId}: status row rewritten from {From} to {To} from its history, by {By}.")]
    public static partial void Repaired(this ILogger logger, string instanceId, string from, string to, string by);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Stuck-flow check is switched off (StuckFlows:Enabled is false).")]
    public static partial void Disabled(this ILogger logger);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Stuck-flow check failed; the next one tries again.")]
    public static partial void Failed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Could not read the history of {InstanceId} in the stuck-flow check; it is looked at again next time.")]
    public static partial void HistoryUnreadable(this ILogger logger, string instanceId, Exception exception);
}
