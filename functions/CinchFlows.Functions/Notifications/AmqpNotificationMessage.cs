using System.Text;
using System.Text.Json;
using Amqp;
using Amqp.Framing;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Functions.Notifications;

/// <summary>Maps a <see cref="Notification"/> to the AMQP message Service Bus expects (docs/api.md §3).</summary>
internal static class AmqpNotificationMessage
{
    /// <summary>The content type of every notification body.</summary>
    public const string ContentType = "application/json";

    /// <summary>
    /// A durable message: the body as one Data section of UTF-8 JSON, message-id (Service Bus duplicate detection),
    /// subject (the event kind), content type and the notification's application properties.
    /// </summary>
    public static Message Create(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var applicationProperties = new ApplicationProperties();
        foreach (var (key, value) in notification.Properties)
        {
            applicationProperties[key] = value;
        }

        return new Message
        {
            Header = new Header { Durable = true },
            Properties = new Properties
            {
                MessageId = notification.MessageId,
                Subject = notification.Subject,
                ContentType = ContentType,
            },
            ApplicationProperties = applicationProperties,
            BodySection = new Data { Binary = BodyBytes(notification) },
        };
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
