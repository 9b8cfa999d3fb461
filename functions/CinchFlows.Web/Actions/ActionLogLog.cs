namespace CinchFlows.Web.Actions;

/// <summary>Log messages of the action log (event ids 2950-2999).</summary>
internal static partial class ActionLogLog
{
    [LoggerMessage(EventId = 2951, Level = LogLevel.Warning, Message = "Could not record action {Action} on {InstanceId} (answered {Outcome}); the answer stands.")]
    public static partial void RecordFailed(this ILogger logger, Exception exception, string action, string instanceId, int outcome);
}
