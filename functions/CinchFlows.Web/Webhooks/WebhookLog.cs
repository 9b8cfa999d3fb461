namespace CinchFlows.Web.Webhooks;

/// <summary>Log messages of the telephony webhook (event ids 2400-2499): webhook id, event type and outcome, never data values or bodies.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Webhook {WebhookId} ({EventType}) accepted: {Outcome} flow {FlowId}.")]
    public static partial void Accepted(this ILogger logger, string webhookId, string eventType, string outcome, string flowId);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Webhook {WebhookId} is a redelivery: answered {StatusCode} as the first time, nothing changed.")]
    public static partial void Duplicate(this ILogger logger, string webhookId, int statusCode);

    // At most one line a minute (RejectionLogThrottle); the count says how many 401s it stands for.
    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Webhook {WebhookId} refused with 401: {Failure}; {Rejections} webhook(s) refused with 401 since the last such line.")]
    public static partial void Unauthenticated(this ILogger logger, string webhookId, WebhookVerification failure, int rejections);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Webhook {WebhookId} ({EventType}) refused with {StatusCode}.")]
    public static partial void Refused(this ILogger logger, string webhookId, string eventType, int statusCode);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Error, Message = "Webhook {WebhookId} ({EventType}) answered 503: storage is not reachable.")]
    public static partial void StorageUnavailable(this ILogger logger, Exception exception, string webhookId, string eventType);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Warning, Message = "The receipt of webhook {WebhookId} could not be kept; a redelivery would act again (flow starts are idempotent).")]
    public static partial void ReceiptNotRecorded(this ILogger logger, Exception exception, string webhookId);

    [LoggerMessage(EventId = 2409, Level = LogLevel.Warning, Message = "The receipt of webhook {WebhookId} could not be looked up while its flow was started; the start went ahead as a first delivery.")]
    public static partial void ReceiptLookupFailed(this ILogger logger, Exception exception, string webhookId);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Webhook {WebhookId} ({EventType}) answered 503: its flow has not started yet.")]
    public static partial void FlowStarting(this ILogger logger, string webhookId, string eventType);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Debug, Message = "Webhook {WebhookId} (transcript segment) on call {CallId} accepted: {HintCount} hint(s) sent.")]
    public static partial void SegmentHeard(this ILogger logger, string webhookId, string callId, int hintCount);

    [LoggerMessage(EventId = 2407, Level = LogLevel.Warning, Message = "No webhook secrets are configured (Telephony:WebhookSecrets): every telephony webhook will get 401.")]
    public static partial void NoSecretsConfigured(this ILogger logger);
}
