using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Notifications;

/// <summary>Maps a <see cref="Notification"/> to the Service Bus message docs/api.md §3 describes.</summary>
internal static class ServiceBusNotificationMessage
{
    /// <summary>The content type of every notification body.</summary>
    public const string ContentType = "application/json";

    /// <summary>The application property that names the flow; it is also the message's correlation id.</summary>
    public const string FlowIdProperty = "flowId";

    /// <summary>
    /// The message: UTF-8 JSON body, <c>MessageId</c> = the step's idempotency key (duplicate detection drops a
    /// retry's repeat), <c>Subject</c> = the event kind, <c>CorrelationId</c> = the flow id, the content type, and the
    /// notification's application properties (<c>flowId</c>, <c>callId</c> or <c>serviceJobId</c>, <c>severity</c>, …).
    /// </summary>
    public static ServiceBusMessage Create(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var message = new ServiceBusMessage(BinaryData.FromBytes(BodyBytes(notification)))
        {
            MessageId = notification.MessageId,
            Subject = notification.Subject,
            ContentType = ContentType,
        };
        if (notification.Properties.TryGetValue(FlowIdProperty, out var flowId) && !string.IsNullOrEmpty(flowId))
        {
            message.CorrelationId = flowId;
        }

        foreach (var (key, value) in notification.Properties)
        {
            message.ApplicationProperties[key] = value;
        }

        return message;
    }

    /// <summary>The notification's JSON body as UTF-8 bytes.</summary>
    public static byte[] BodyBytes(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Body.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException($"Notification {notification.MessageId} has no body.", nameof(notification));
        }

        // The producer's own text, byte for byte: re-serializing would escape every non-ASCII character.
        return Encoding.UTF8.GetBytes(notification.Body.GetRawText());
    }
}
