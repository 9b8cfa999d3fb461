namespace CinchFlows.Web.Telephony;

/// <summary>Log messages of the telephony command sender (event ids 2300-2399). Notes are never logged.</summary>
internal static partial class TelephonyLog
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Telephony command {CommandType} (key {IdempotencyKey}, webhook-id {WebhookId}) accepted with {StatusCode} in {ElapsedMs} ms.")]
    public static partial void CommandAccepted(this ILogger logger, string commandType, string idempotencyKey, string webhookId, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Telephony command {CommandType} (key {IdempotencyKey}) refused with {StatusCode}: {ResponseExcerpt}")]
    public static partial void CommandRefused(this ILogger logger, string commandType, string idempotencyKey, int statusCode, string responseExcerpt);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Telephony command {CommandType} (key {IdempotencyKey}) got no answer within {Timeout}.")]
    public static partial void CommandTimedOut(this ILogger logger, string commandType, string idempotencyKey, TimeSpan timeout);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Telephony command {CommandType} (key {IdempotencyKey}) could not be delivered to {CommandsUrl}.")]
    public static partial void CommandUndeliverable(this ILogger logger, Exception exception, string commandType, string idempotencyKey, Uri commandsUrl);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Error, Message = "Telephony:CommandsUrl is not configured: the telephony command {CommandType} (key {IdempotencyKey}) cannot be sent.")]
    public static partial void CommandsUrlMissing(this ILogger logger, string commandType, string idempotencyKey);
}
