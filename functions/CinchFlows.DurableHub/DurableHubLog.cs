using Microsoft.Extensions.Logging;

namespace CinchFlows.DurableHub;

/// <summary>The hub adapter's log messages.</summary>
internal static partial class DurableHubLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "CinchFlows.DurableHub";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Durable Task hub '{TaskHub}' on {Store} listening on {Address} (worker {WorkerId}, {Partitions} partitions, max polling {MaxPolling})")]
    public static partial void Listening(ILogger logger, string taskHub, DurableStoreKind store, System.Net.IPEndPoint address, string workerId, int partitions, TimeSpan maxPolling);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The Durable Task hub could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The Durable Task backend did not stop cleanly: {Reason}")]
    public static partial void StopFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Durable Task hub stopped in {ElapsedMs} ms")]
    public static partial void Stopped(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Activity work item {WorkItemId} could not be handed back while storage is unreachable; trying again in {Delay}: {Reason}")]
    public static partial void AbandonRetrying(ILogger logger, string workItemId, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Activity work item {WorkItemId} was received again while it could not be handed back; the backend forgets the old one and the activity runs again")]
    public static partial void ActivityForgotten(ILogger logger, string workItemId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Stopping: work item {WorkItem} was never finished here and is handed back for the next worker")]
    public static partial void HandedBack(ILogger logger, string workItem);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Stopping: work item {WorkItem} could not be handed back and becomes visible again when its lock lapses: {Reason}")]
    public static partial void HandBackFailed(ILogger logger, string workItem, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "{InstanceId}: {Count} start message(s) for an instance that has already started were dropped (a start delivered again)")]
    public static partial void RepeatedStartDropped(ILogger logger, string instanceId, int count);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{InstanceId}: its instance row still said Pending after its start came again; set to Running")]
    public static partial void PendingRowRepaired(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{InstanceId}: its instance row may still say Pending after its start came again, and could not be checked: {Reason}")]
    public static partial void PendingRowNotRepaired(ILogger logger, string instanceId, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{InstanceId}: started on flow version {Version}, newer than this worker's {WorkerVersion}; handed back for a worker that knows it")]
    public static partial void NewerVersionHandedBack(ILogger logger, string instanceId, string version, string workerVersion);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Durable Task hub stopped after {ElapsedMs} ms without waiting for the backend any longer: the host's shutdown time ran out; this worker's partition leases lapse on their own and its unfinished messages stay queued")]
    public static partial void StopCutShort(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Durable timers come by polling alone: this version of DurableTask.AzureStorage has no poller this worker can wake when a timer comes due (a timer may be up to Durable:MaxQueuePollingInterval late)")]
    public static partial void TimerWakeUpsUnavailable(ILogger logger);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "{InstanceId}: {Count} result(s) dropped whose step number names another kind of step in its history ({Results}): left by a step another worker ran at the same time and could not commit")]
    public static partial void MismatchedResultsDropped(ILogger logger, string instanceId, int count, string results);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "{InstanceId}: the backend failed to hand out a step and kept the flow's session open with no step to run; released, so its messages run again")]
    public static partial void LeakedSessionReleased(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "The backend failed to hand out a step, and the sessions it may have left open could not be released: {Reason}")]
    public static partial void LeakedSessionsNotReleased(ILogger logger, string reason);
}
