using System.Text;
using System.Text.Json;
using Amqp;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>What a test needs of a message received from the broker: the properties docs/api.md §3 promises, and the body.</summary>
public sealed record ReceivedAmqpMessage(
    string? MessageId,
    string? Subject,
    string? ContentType,
    bool Durable,
    IReadOnlyDictionary<string, object?> ApplicationProperties,
    byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>Copies what matters out of an AMQPNetLite message (a Data body, or an AMQP value holding a string or bytes).</summary>
    public static ReceivedAmqpMessage From(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Body switch
        {
            byte[] bytes => bytes,
            string text => Encoding.UTF8.GetBytes(text),
            null => [],
            var other => throw new InvalidOperationException($"Unexpected AMQP body of type {other.GetType().Name}."),
        };
        var properties = message.ApplicationProperties?.Map.ToDictionary(p => p.Key.ToString()!, p => (object?)p.Value, StringComparer.Ordinal)
            ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        return new ReceivedAmqpMessage(
            message.Properties?.MessageId,
            message.Properties?.Subject,
            message.Properties?.ContentType,
            message.Header?.Durable ?? false,
            properties,
            body);
    }
}
