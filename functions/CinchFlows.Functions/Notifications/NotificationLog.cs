using CinchFlows.Flows.Notifications;

namespace CinchFlows.Functions.Notifications;

/// <summary>Log messages of the notification transports (event ids 2600-2699).</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Notifications go through the {Transport} transport.")]
    public static partial void TransportSelected(this ILogger logger, string transport);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Debug, Message = "Notification {MessageId} ({Subject}) published to {Topic} at {Destination}.")]
    public static partial void Published(this ILogger logger, string messageId, string subject, NotificationTopic topic, string destination);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "AMQP connection {Generation} to {Endpoint} opened.")]
    public static partial void AmqpConnected(this ILogger logger, int generation, AmqpEndpoint endpoint);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning, Message = "AMQP connection {Generation} to {Endpoint} was closed by the broker or the network: {Condition} {Description}. The next notification reconnects.")]
    public static partial void AmqpConnectionLost(this ILogger logger, int generation, AmqpEndpoint endpoint, string? condition, string? description);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Warning, Message = "Sending notification {MessageId} to {Address} failed because AMQP connection {Generation} broke; sending it again on a new connection.")]
    public static partial void ResendingAfterConnectionLoss(this ILogger logger, string messageId, string address, int generation, Exception exception);

    [LoggerMessage(EventId = 2606, Level = LogLevel.Warning, Message = "AMQP connection {Generation} to {Endpoint} is dropped after a timeout; the next notification reconnects.")]
    public static partial void AmqpConnectionAbandoned(this ILogger logger, int generation, AmqpEndpoint endpoint, Exception exception);

    [LoggerMessage(EventId = 2607, Level = LogLevel.Debug, Message = "Put a {TokenType} token for {Audience} (expires {ExpiresAt:O}).")]
    public static partial void TokenPut(this ILogger logger, string tokenType, string audience, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2608, Level = LogLevel.Debug, Message = "Sender link {LinkName} attached to {Address}.")]
    public static partial void SenderAttached(this ILogger logger, string linkName, string address);

    [LoggerMessage(EventId = 2609, Level = LogLevel.Information, Message = "Storage queue {Queue} created for notifications.")]
    public static partial void QueueCreated(this ILogger logger, string queue);

    [LoggerMessage(EventId = 2610, Level = LogLevel.Information, Message = "Notification {MessageId} ({Subject}) kept in memory for topic {Topic}.")]
    public static partial void KeptInMemory(this ILogger logger, string messageId, string subject, NotificationTopic topic);
}
