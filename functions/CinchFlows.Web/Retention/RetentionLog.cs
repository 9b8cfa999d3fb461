namespace CinchFlows.Web.Retention;

/// <summary>Log messages of the retention sweep (event ids 2800-2899): counts only, never ids or contents.</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 2801, Level = LogLevel.Information, Message = "Retention sweep (older than {Cutoff:o}): {Flows} flows, {WebhookReceipts} webhook receipts, {CallbackTasks} callback tasks, {Hints} hints, {Actions} action-log rows deleted.")]
    public static partial void Swept(this ILogger logger, DateTimeOffset cutoff, int flows, int webhookReceipts, int callbackTasks, int hints, int actions);

    [LoggerMessage(EventId = 2802, Level = LogLevel.Information, Message = "Retention sweep is switched off (Retention:Enabled is false).")]
    public static partial void Disabled(this ILogger logger);

    [LoggerMessage(EventId = 2803, Level = LogLevel.Warning, Message = "Retention sweep failed; the next one tries again.")]
    public static partial void Failed(this ILogger logger, Exception exception);
}
