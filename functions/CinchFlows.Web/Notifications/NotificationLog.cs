using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Notifications;

/// <summary>Log messages of the notification transports (event ids 2600-2699; 2603-2608 belonged to the retired AMQP client).</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Notifications go through the {Transport} transport.")]
    public static partial void TransportSelected(this ILogger logger, string transport);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Debug, Message = "Notification {MessageId} ({Subject}) published to {Topic} at {Destination}.")]
    public static partial void Published(this ILogger logger, string messageId, string subject, NotificationTopic topic, string destination);

    [LoggerMessage(EventId = 2609, Level = LogLevel.Information, Message = "Storage queue {Queue} created for notifications.")]
    public static partial void QueueCreated(this ILogger logger, string queue);

    [LoggerMessage(EventId = 2610, Level = LogLevel.Information, Message = "Notification {MessageId} ({Subject}) kept in memory for topic {Topic}.")]
    public static partial void KeptInMemory(this ILogger logger, string messageId, string subject, NotificationTopic topic);

    [LoggerMessage(EventId = 2611, Level = LogLevel.Error, Message = "Notification {MessageId} ({Subject}) for {Topic} can never be sent to {Destination}: it is too large. The step fails without retries.")]
    public static partial void Undeliverable(this ILogger logger, string messageId, string subject, NotificationTopic topic, string destination, Exception exception);
}
