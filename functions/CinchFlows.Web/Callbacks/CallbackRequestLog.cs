namespace CinchFlows.Web.Callbacks;

/// <summary>Log messages of the callback-request queue (event ids 2500-2599); message bodies are never logged.</summary>
internal static partial class CallbackRequestLog
{
    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "The callback-request queue listener is off: Durable:Store is InMemory, which has no queues.")]
    public static partial void ListenerOff(this ILogger logger);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Information, Message = "Listening for callback requests on queue {QueueName} (poison queue {PoisonQueueName}).")]
    public static partial void Listening(this ILogger logger, string queueName, string poisonQueueName);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Callback request {RequestId} (attempt {DequeueCount}): {Outcome}, flow {FlowId}.")]
    public static partial void Handled(this ILogger logger, string requestId, long dequeueCount, CallbackRequestOutcome outcome, string flowId);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning, Message = "Callback request message {MessageId} failed on attempt {DequeueCount} of {MaxDequeueCount}; it is retried in {RetryDelay}.")]
    public static partial void Retrying(this ILogger logger, Exception exception, string messageId, long dequeueCount, int maxDequeueCount, TimeSpan retryDelay);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Error, Message = "Callback request message {MessageId} moved to {PoisonQueueName} after {DequeueCount} attempt(s): {Reason}")]
    public static partial void Poisoned(this ILogger logger, string messageId, string poisonQueueName, long dequeueCount, string reason);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Error, Message = "The callback-request queue {QueueName} could not be read; trying again in {Delay}.")]
    public static partial void PollFailed(this ILogger logger, Exception exception, string queueName, TimeSpan delay);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Warning, Message = "Handled callback request message {MessageId} could not be deleted; it will be seen again and found a duplicate.")]
    public static partial void DeleteFailed(this ILogger logger, Exception exception, string messageId);
}
