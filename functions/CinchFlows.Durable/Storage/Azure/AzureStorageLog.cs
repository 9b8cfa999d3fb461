using Microsoft.Extensions.Logging;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>Log messages of the Azure Storage store (event ids 4100-4199).</summary>
internal static partial class AzureStorageLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Azure Storage store ready: table {Table}, queues {WorkQueue} and {PoisonQueue} at {TableEndpoint} and {QueueEndpoint}.")]
    public static partial void Initialized(ILogger logger, string table, string workQueue, string poisonQueue, Uri tableEndpoint, Uri queueEndpoint);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "No permission to create {Resource} ({ErrorCode}); assuming the infrastructure created it.")]
    public static partial void CreateNotPermitted(ILogger logger, string resource, string? errorCode);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Commit of instance {InstanceId} lost a race: {Status} {ErrorCode}.")]
    public static partial void CommitConflict(ILogger logger, string instanceId, int status, string? errorCode);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Queue message {MessageId} was already gone or received again ({Status} {ErrorCode}); nothing to {Operation}.")]
    public static partial void MessageAlreadyGone(ILogger logger, string messageId, int status, string? errorCode, string operation);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Moved queue message {MessageId} (work message {WorkMessageId} of instance {InstanceId}) to {PoisonQueue}: {Reason}")]
    public static partial void MessagePoisoned(ILogger logger, string messageId, string? workMessageId, string? instanceId, string poisonQueue, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "The body of poisoned queue message {MessageId} was cut from {Length} characters to fit the poison queue's 64 KiB limit.")]
    public static partial void PoisonBodyTruncated(ILogger logger, string messageId, int length);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Debug, Message = "Outbox of instance {InstanceId} changed before dispatched messages could be removed.")]
    public static partial void OutboxConflict(ILogger logger, string instanceId);
}
