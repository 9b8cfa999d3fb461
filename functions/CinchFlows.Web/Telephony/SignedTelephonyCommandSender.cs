using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Webhooks;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Telephony;

/// <summary>
/// Sends telephony commands as signed webhooks (docs/api.md §2): the command's JSON POSTed to <c>Telephony:CommandsUrl</c> and
/// signed per Standard Webhooks with <c>Telephony:CommandSecret</c>.
/// </summary>
/// <remarks>
/// The <c>webhook-id</c> comes from the idempotency key, so every retry of one step carries the same id and the same key;
/// the timestamp (and so the signature) is fresh per attempt. Anything but 2xx throws <see cref="TelephonyCommandException"/>
/// and the calling activity retries. The note may describe the call, so it is never logged nor put in an exception.
/// </remarks>
internal sealed class SignedTelephonyCommandSender(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<TelephonyOptions> options,
    TimeProvider timeProvider,
    ILogger<SignedTelephonyCommandSender> logger) : ITelephonyCommands
{
    /// <summary>The name of the <see cref="HttpClient"/> the sender uses (configure handlers on it).</summary>
    public const string HttpClientName = "CinchFlows.Telephony.Commands";

    /// <summary>The <c>webhook-id</c> prefix when the idempotency key is header-safe and short: <c>cmd_&lt;key&gt;</c>.</summary>
    public const string WebhookIdPrefix = "cmd_";

    /// <summary>The <c>webhook-id</c> prefix for any other key: <c>cmdh_&lt;SHA-256 of the key, hex&gt;</c>.</summary>
    public const string HashedWebhookIdPrefix = "cmdh_";

    /// <summary>Longest key used as it is in a <c>webhook-id</c>; longer keys are hashed.</summary>
    private const int MaxReadableKeyLength = 120;

    /// <summary>How much of a refusal's body goes into the exception and the log.</summary>
    private const int ExcerptChars = 256;

    /// <summary>
    /// The <c>webhook-id</c> for an idempotency key: readable when the key is made of letters, digits, <c>-</c>, <c>_</c>
    /// and <c>:</c>, hashed otherwise. The two forms have different prefixes, so they never collide.
    /// </summary>
    public static string WebhookIdFor(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return idempotencyKey.Length is > 0 and <= MaxReadableKeyLength && idempotencyKey.All(IsReadable)
            ? WebhookIdPrefix + idempotencyKey
            : HashedWebhookIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
    }

    /// <inheritdoc/>
    public async Task SendAsync(TelephonyCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(command.Type, nameof(command));
        ArgumentException.ThrowIfNullOrWhiteSpace(command.IdempotencyKey, nameof(command));

        var settings = options.CurrentValue;
        if (settings.CommandsUrl is not { } url)
        {
            logger.CommandsUrlMissing(command.Type, command.IdempotencyKey);
            throw new InvalidOperationException(
                $"Telephony:CommandsUrl is not configured, so the {command.Type} command cannot be sent to the telephony platform. "
                + "Set Telephony:CommandsUrl and Telephony:CommandSecret.");
        }

        // The validator requires a secret with a URL; this guards options built by hand.
        var key = StandardWebhookSignature.DecodeSecret(settings.CommandSecret
            ?? throw new InvalidOperationException("Telephony:CommandSecret is not configured: commands to the telephony platform are always signed."));
        var body = JsonSerializer.SerializeToUtf8Bytes(command, JsonSerializerOptions.Web);
        var webhookId = WebhookIdFor(command.IdempotencyKey);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(key, webhookId, timestamp, body));
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } span)
        {
            // Set here, not left to HttpClient's own propagation, so the platform gets it whether or not an exporter is configured.
            request.Headers.TryAddWithoutValidation(FlowTracing.TraceParent, span.Id);
        }

        using var timeout = new CancellationTokenSource(settings.CommandTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.CommandTimedOut(command.Type, command.IdempotencyKey, settings.CommandTimeout);
            throw new TelephonyCommandException(
                $"The telephony platform did not answer the {command.Type} command (key {command.IdempotencyKey}) within {settings.CommandTimeout}.",
                innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            logger.CommandUndeliverable(ex, command.Type, command.IdempotencyKey, url);
            throw new TelephonyCommandException(
                $"The {command.Type} command (key {command.IdempotencyKey}) could not be delivered to the telephony platform: {ex.Message}",
                innerException: ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var elapsedMs = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
                logger.CommandAccepted(command.Type, command.IdempotencyKey, webhookId, status, elapsedMs);
                return;
            }

            var excerpt = await ReadExcerptAsync(response.Content, linked.Token).ConfigureAwait(false);
            logger.CommandRefused(command.Type, command.IdempotencyKey, status, excerpt);
            throw new TelephonyCommandException(
                $"The telephony platform answered {status} ({response.ReasonPhrase}) to the {command.Type} command (key {command.IdempotencyKey}): {excerpt}",
                response.StatusCode,
                excerpt);
        }
    }

    private static bool IsReadable(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':';

    /// <summary>The first few hundred characters of a refusal, on one line; whatever could be read if reading fails.</summary>
    private static async Task<string> ReadExcerptAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[ExcerptChars * 4];
        var read = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int count;
                while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    read += count;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status already says the command failed; a body cut short only shortens the excerpt.
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var oneLine = new StringBuilder(Math.Min(text.Length, ExcerptChars));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, ExcerptChars)))
        {
            oneLine.Append(char.IsControl(c) ? ' ' : c);
        }

        return oneLine.ToString().Trim();
    }
}
