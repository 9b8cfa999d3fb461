using Microsoft.Extensions.Logging;

namespace CinchFlows.Durable.Worker;

/// <summary>The worker's log lines, with stable event ids.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Step {InstanceId} ({Name}): {Status} after {EventCount} new events, {MessageCount} messages")]
    public static partial void StepCommitted(ILogger logger, string instanceId, string name, OrchestrationRuntimeStatus status, int eventCount, int messageCount);

    [LoggerMessage(1002, LogLevel.Debug, "Step {InstanceId}: ETag conflict on attempt {Attempt}, reloading")]
    public static partial void StepConflict(ILogger logger, string instanceId, int attempt);

    [LoggerMessage(1003, LogLevel.Information, "Dropped {Count} message(s) for unknown instance {InstanceId}")]
    public static partial void DroppedForUnknownInstance(ILogger logger, string instanceId, int count);

    [LoggerMessage(1004, LogLevel.Warning, "Message {MessageId} for {InstanceId} failed (attempt {DequeueCount}); retrying in {Delay}")]
    public static partial void MessageFailed(ILogger logger, Exception exception, string? messageId, string? instanceId, long dequeueCount, TimeSpan delay);

    [LoggerMessage(1005, LogLevel.Error, "Message {MessageId} for {InstanceId} moved to the poison queue: {Reason}")]
    public static partial void MessagePoisoned(ILogger logger, string? messageId, string? instanceId, string reason);

    [LoggerMessage(1006, LogLevel.Warning, "Could not dispatch message {MessageId} for {InstanceId}; the sweeper will re-send it")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, string messageId, string instanceId);

    [LoggerMessage(1007, LogLevel.Warning, "Sweeper re-sent {Count} outbox message(s) of {InstanceId} left since {Since}")]
    public static partial void OutboxRecovered(ILogger logger, string instanceId, int count, DateTimeOffset since);

    [LoggerMessage(1008, LogLevel.Warning, "Local step for message {MessageId} failed; sending it through the queue")]
    public static partial void LocalStepFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(1009, LogLevel.Error, "Orchestration {InstanceId} failed: {ErrorType}: {Message}")]
    public static partial void OrchestrationFailed(ILogger logger, string instanceId, string errorType, string message);

    [LoggerMessage(1010, LogLevel.Error, "Sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(1011, LogLevel.Error, "Poll failed; backing off")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(1013, LogLevel.Error, "Sweeper could not re-send the outbox of {InstanceId}; trying again at the next sweep")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(1012, LogLevel.Error, "Could not mark {InstanceId} failed after its message was poisoned")]
    public static partial void FailInstanceFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(1014, LogLevel.Warning, "Could not hand held message {MessageId} back to the queue while stopping; it reappears after its visibility timeout")]
    public static partial void ReleaseOnStopFailed(ILogger logger, string? messageId, Exception exception);
}
