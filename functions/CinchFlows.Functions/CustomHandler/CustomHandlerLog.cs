namespace CinchFlows.Functions.CustomHandler;

/// <summary>Log messages of the custom-handler protocol (event ids 2900-2999); message bodies are never logged.</summary>
internal static partial class CustomHandlerLog
{
    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Running as an Azure Functions custom handler: {Count} non-HTTP functions are served at POST /{{name}}, no in-process queue listener or sweeper runs.")]
    public static partial void Serving(this ILogger logger, int count);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Warning, Message = "Invocation of {FunctionName} for message {MessageId} (dequeue count {DequeueCount}) fails so the host retries it: {Reason}")]
    public static partial void Retrying(this ILogger logger, string functionName, string messageId, long dequeueCount, string? reason);

    [LoggerMessage(EventId = 2903, Level = LogLevel.Error, Message = "Invocation of {FunctionName} for message {MessageId} (dequeue count {DequeueCount}): moved to {PoisonQueueName}: {Reason}")]
    public static partial void Poisoned(this ILogger logger, string functionName, string messageId, long dequeueCount, string poisonQueueName, string? reason);

    [LoggerMessage(EventId = 2905, Level = LogLevel.Warning, Message = "Invocation of {FunctionName} refused: {Reason}")]
    public static partial void Malformed(this ILogger logger, string functionName, string reason);
}
