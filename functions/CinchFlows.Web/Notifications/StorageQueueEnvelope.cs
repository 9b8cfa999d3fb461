using System.Text.Encodings.Web;
using System.Text.Json;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Notifications;

/// <summary>
/// The text of a notification on a storage queue: Base64 of
/// <c>{"messageId","subject","correlationId","contentType","properties","body"}</c>, the fields of the Service Bus message.
/// </summary>
internal static class StorageQueueEnvelope
{
    /// <summary>The largest message text Azure Storage queues accept (64 KiB).</summary>
    public const int MaxMessageLength = 64 * 1024;

    /// <summary>The envelope's JSON, UTF-8.</summary>
    public static byte[] Json(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Body.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException($"Notification {notification.MessageId} has no body.", nameof(notification));
        }

        using var buffer = new MemoryStream();
        // Relaxed escaping keeps non-ASCII text readable; the envelope is never embedded in HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", notification.MessageId);
            writer.WriteString("subject", notification.Subject);
            if (notification.Properties.TryGetValue(ServiceBusNotificationMessage.FlowIdProperty, out var flowId))
            {
                writer.WriteString("correlationId", flowId);
            }

            writer.WriteString("contentType", ServiceBusNotificationMessage.ContentType);
            writer.WriteStartObject("properties");
            foreach (var (key, value) in notification.Properties)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("body");
            writer.WriteRawValue(notification.Body.GetRawText());
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The message text: Base64 of the envelope's JSON, which is what an Azure Functions queue trigger decodes.</summary>
    public static string Encode(Notification notification)
    {
        var text = Convert.ToBase64String(Json(notification));
        return text.Length <= MaxMessageLength
            ? text
            : throw new NotificationUndeliverableException(
                $"Notification {notification.MessageId} ({notification.Subject}) can never be sent: it is {text.Length} characters as a queue message and Azure Storage queues take at most {MaxMessageLength}. It is not retried.");
    }
}
