using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>Builds telephony webhooks the way the platform sends them: a CloudEvents body, signed per Standard Webhooks.</summary>
internal static class WebhookRequests
{
    public const string Path = "/api/telephony/events";
    public const string CloudEventsJson = "application/cloudevents+json";

    private static long sequence;

    /// <summary>A fresh webhook-id.</summary>
    public static string NewId() => "msg_" + Interlocked.Increment(ref sequence) + "_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A CloudEvents 1.0 structured-mode body with <paramref name="data"/> as its data (serialized as given: property names verbatim).</summary>
    public static string Event(string type, object? data, string? id = null, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var envelope = new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id ?? Guid.NewGuid().ToString("N"),
            ["source"] = "/telephony/unit-tests",
            ["type"] = type,
            ["time"] = "2025-01-31T09:00:00Z",
            ["data"] = data,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            envelope[key] = value;
        }

        return JsonSerializer.Serialize(envelope);
    }

    /// <summary>A signed POST of <paramref name="body"/>; by default signed now with the primary secret.</summary>
    public static HttpRequestMessage Signed(
        string body,
        DateTimeOffset now,
        string? webhookId = null,
        long? timestamp = null,
        string? secret = null,
        string contentType = CloudEventsJson) =>
        Signed(Encoding.UTF8.GetBytes(body), now, webhookId, timestamp, secret, contentType);

    /// <summary>A signed POST of raw bytes (for bodies that are not valid UTF-8).</summary>
    public static HttpRequestMessage Signed(
        byte[] body,
        DateTimeOffset now,
        string? webhookId = null,
        long? timestamp = null,
        string? secret = null,
        string? contentType = CloudEventsJson,
        HttpContent? content = null)
    {
        var id = webhookId ?? NewId();
        var at = timestamp ?? now.ToUnixTimeSeconds();
        var key = StandardWebhookSignature.DecodeSecret(secret ?? WebhookSecrets.Primary);
        var request = Unsigned(body, contentType, content);
        request.Headers.TryAddWithoutValidation("webhook-id", id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", at.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", StandardWebhookSignature.Sign(key, id, at, body));
        return request;
    }

    /// <summary>A POST without any webhook header.</summary>
    public static HttpRequestMessage Unsigned(byte[] body, string? contentType = CloudEventsJson, HttpContent? content = null)
    {
        content ??= new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
    }
}
