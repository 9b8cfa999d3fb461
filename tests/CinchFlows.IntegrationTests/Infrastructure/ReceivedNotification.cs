using System.Text.Json;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>A notification read from its storage queue: the fields docs/api.md §3 promises, and the body.</summary>
public sealed record ReceivedNotification(
    string? MessageId,
    string? Subject,
    string? CorrelationId,
    string? ContentType,
    IReadOnlyDictionary<string, string?> ApplicationProperties,
    string BodyText)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(BodyText).RootElement.Clone();

    /// <summary>Reads the storage-queue envelope (the message text, Base64 of its JSON).</summary>
    public static ReceivedNotification FromQueueText(string text)
    {
        var envelope = JsonDocument.Parse(Convert.FromBase64String(text)).RootElement;
        return new ReceivedNotification(
            Optional(envelope, "messageId"),
            Optional(envelope, "subject"),
            Optional(envelope, "correlationId"),
            Optional(envelope, "contentType"),
            envelope.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal),
            envelope.GetProperty("body").GetRawText());
    }

    private static string? Optional(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var value) ? value.GetString() : null;
}
