using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CinchFlows.TelephonySimulator;

/// <summary>
/// Sends telephony webhooks as the platform does: CloudEvents 1.0 structured JSON, signed per Standard Webhooks, POSTed to
/// <c>{service}/api/telephony/events</c> (docs/api.md §1).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The webhook route under the service's base URL.</summary>
    public const string EventsPath = "api/telephony/events";

    /// <summary>The content type of a structured-mode CloudEvent.</summary>
    public const string CloudEventsContentType = "application/cloudevents+json";

    private readonly HttpClient http;
    private readonly bool ownsClient;
    private readonly string secret;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates a sender for the service at <paramref name="serviceBaseUrl"/>, signing with <paramref name="secret"/>.</summary>
    /// <param name="serviceBaseUrl">The service's base URL, e.g. <c>http://127.0.0.1:7071</c>.</param>
    /// <param name="secret">The <c>whsec_…</c> secret the service accepts (<c>Telephony:WebhookSecrets</c>).</param>
    /// <param name="httpClient">The client to send with (not disposed here); a new one when null.</param>
    /// <param name="timeProvider">The clock for timestamps; the system clock when null.</param>
    public WebhookSender(Uri serviceBaseUrl, string secret, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(serviceBaseUrl);
        StandardWebhooks.DecodeSecret(secret);
        var root = serviceBaseUrl.AbsoluteUri.EndsWith('/') ? serviceBaseUrl : new Uri(serviceBaseUrl.AbsoluteUri + "/");
        EventsUri = new Uri(root, EventsPath);
        this.secret = secret;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        ownsClient = httpClient is null;
        http = httpClient ?? new HttpClient();
    }

    /// <summary>Where the webhooks go.</summary>
    public Uri EventsUri { get; }

    /// <summary>The CloudEvents <c>source</c> of every event. Default is <c>urn:cinch:telephony-simulator</c>.</summary>
    public string Source { get; init; } = "urn:cinch:telephony-simulator";

    /// <summary>A new message id, <c>msg_</c> and 32 hex digits.</summary>
    public static string NewWebhookId() => "msg_" + Guid.NewGuid().ToString("N");

    /// <summary>The CloudEvent JSON for one event: <c>id</c>, <c>source</c>, <c>specversion</c>, <c>type</c>, <c>time</c>, <c>datacontenttype</c>, <c>data</c>.</summary>
    public byte[] BuildEvent(string type, object data, string eventId, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        var cloudEvent = new JsonObject
        {
            ["id"] = eventId,
            ["source"] = Source,
            ["specversion"] = "1.0",
            ["type"] = type,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["datacontenttype"] = "application/json",
            ["data"] = data as JsonNode ?? JsonSerializer.SerializeToNode(data, data.GetType(), JsonSerializerOptions.Web),
        };
        return JsonSerializer.SerializeToUtf8Bytes(cloudEvent);
    }

    /// <summary>The three Standard Webhooks headers that sign <paramref name="body"/> as <paramref name="webhookId"/> at <paramref name="timestamp"/>.</summary>
    public IReadOnlyDictionary<string, string> SignatureHeaders(string webhookId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        var seconds = timestamp.ToUnixTimeSeconds();
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [StandardWebhooks.IdHeader] = webhookId,
            [StandardWebhooks.TimestampHeader] = seconds.ToString(CultureInfo.InvariantCulture),
            [StandardWebhooks.SignatureHeader] = StandardWebhooks.Sign(secret, webhookId, seconds, body),
        };
    }

    /// <summary>Sends one signed event; the caller disposes the answer (its body is already read).</summary>
    /// <param name="type">The CloudEvents type, see <see cref="PlatformEventTypes"/>.</param>
    /// <param name="data">The event's <c>data</c>, serialized camelCase (or a <see cref="JsonNode"/> as it is).</param>
    /// <param name="webhookId">The message id (and CloudEvent id); a new one when null. Send the same id again to replay.</param>
    /// <param name="timestamp">The signing time (and CloudEvent time); now when null. Pass an old one for a stale webhook.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task<HttpResponseMessage> SendAsync(
        string type,
        object data,
        string? webhookId = null,
        DateTimeOffset? timestamp = null,
        CancellationToken cancellationToken = default)
    {
        var id = webhookId ?? NewWebhookId();
        var time = timestamp ?? timeProvider.GetUtcNow();
        var body = BuildEvent(type, data, id, time);
        return SendRawAsync(body, SignatureHeaders(id, time, body), CloudEventsContentType, cancellationToken);
    }

    /// <summary>POSTs <paramref name="body"/> with exactly the given headers (nothing is signed here): for forged, stale and replayed webhooks.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="headers">Headers to send as they are, e.g. from <see cref="SignatureHeaders"/>, tampered or not.</param>
    /// <param name="contentType">The content type; none when null.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public async Task<HttpResponseMessage> SendRawAsync(
        ReadOnlyMemory<byte> body,
        IEnumerable<KeyValuePair<string, string>> headers,
        string? contentType = CloudEventsContentType,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var request = new HttpRequestMessage(HttpMethod.Post, EventsUri) { Content = new ReadOnlyMemoryContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>Sends <c>com.cinch.call.medical-emergency.flagged</c>; no <paramref name="serviceRequestId"/> means scenario 1 (needs service).</summary>
    public Task<HttpResponseMessage> MedicalEmergencyFlaggedAsync(
        string callId, string agentId, string customerId, string? serviceRequestId = null, CancellationToken cancellationToken = default)
    {
        var data = new JsonObject { ["callId"] = callId, ["agentId"] = agentId, ["customerId"] = customerId };
        if (serviceRequestId is not null)
        {
            data["serviceRequestId"] = serviceRequestId;
        }

        return SendAsync(PlatformEventTypes.MedicalEmergencyFlagged, data, cancellationToken: cancellationToken);
    }

    /// <summary>Sends <c>com.cinch.call.transfer.connected</c>, echoing the transfer command's <paramref name="idempotencyKey"/> when given.</summary>
    public Task<HttpResponseMessage> TransferConnectedAsync(string callId, string targetExtension, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(PlatformEventTypes.TransferConnected, WithKey(new JsonObject { ["callId"] = callId, ["targetExtension"] = targetExtension }, idempotencyKey), cancellationToken: cancellationToken);

    /// <summary>Sends <c>com.cinch.call.transfer.failed</c>, echoing the transfer command's <paramref name="idempotencyKey"/> when given.</summary>
    public Task<HttpResponseMessage> TransferFailedAsync(string callId, string targetExtension, string reason, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(
            PlatformEventTypes.TransferFailed,
            WithKey(new JsonObject { ["callId"] = callId, ["targetExtension"] = targetExtension, ["reason"] = reason }, idempotencyKey),
            cancellationToken: cancellationToken);

    /// <summary>Sends <c>com.cinch.call.supervisor.requested</c>.</summary>
    public Task<HttpResponseMessage> SupervisorRequestedAsync(
        string callId, string agentId, string customerId, bool supervisorAvailable, CancellationToken cancellationToken = default) =>
        SendAsync(
            PlatformEventTypes.SupervisorRequested,
            new JsonObject { ["callId"] = callId, ["agentId"] = agentId, ["customerId"] = customerId, ["supervisorAvailable"] = supervisorAvailable },
            cancellationToken: cancellationToken);

    /// <summary>Sends <c>com.cinch.servicejob.escalation.raised</c>; <paramref name="severity"/> and <paramref name="provider"/> are left out when null.</summary>
    public Task<HttpResponseMessage> EscalationRaisedAsync(
        string serviceJobId,
        string reason,
        string subReason,
        string raisedBy,
        string contactRole,
        string? severity = null,
        EscalationProvider? provider = null,
        CancellationToken cancellationToken = default)
    {
        var data = new JsonObject
        {
            ["serviceJobId"] = serviceJobId,
            ["reason"] = reason,
            ["subReason"] = subReason,
            ["raisedBy"] = raisedBy,
            ["contactRole"] = contactRole,
        };
        if (severity is not null)
        {
            data["severity"] = severity;
        }

        if (provider is not null)
        {
            data["provider"] = new JsonObject { ["providerId"] = provider.ProviderId, ["timeZone"] = provider.TimeZone, ["phone"] = provider.Phone };
        }

        return SendAsync(PlatformEventTypes.EscalationRaised, data, cancellationToken: cancellationToken);
    }

    /// <summary>Sends <c>com.cinch.servicejob.severity.changed</c>.</summary>
    public Task<HttpResponseMessage> SeverityChangedAsync(string serviceJobId, string severity, CancellationToken cancellationToken = default) =>
        SendAsync(PlatformEventTypes.SeverityChanged, new JsonObject { ["serviceJobId"] = serviceJobId, ["severity"] = severity }, cancellationToken: cancellationToken);

    /// <summary>Sends <c>com.cinch.call.ended</c>.</summary>
    public Task<HttpResponseMessage> CallEndedAsync(string callId, CancellationToken cancellationToken = default) =>
        SendAsync(PlatformEventTypes.CallEnded, new JsonObject { ["callId"] = callId }, cancellationToken: cancellationToken);

    /// <summary>Sends <c>com.cinch.call.transcript.segment</c>: what <paramref name="speaker"/> (<c>customer</c> or <c>agent</c>) said.</summary>
    public Task<HttpResponseMessage> TranscriptSegmentAsync(
        string callId, string agentId, string speaker, string text, bool final = true, CancellationToken cancellationToken = default) =>
        SendAsync(
            PlatformEventTypes.TranscriptSegment,
            new JsonObject { ["callId"] = callId, ["agentId"] = agentId, ["speaker"] = speaker, ["text"] = text, ["final"] = final },
            cancellationToken: cancellationToken);

    private static JsonObject WithKey(JsonObject data, string? idempotencyKey)
    {
        if (idempotencyKey is not null)
        {
            data["idempotencyKey"] = idempotencyKey;
        }

        return data;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
    }
}
