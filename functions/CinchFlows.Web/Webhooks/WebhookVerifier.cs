using System.Globalization;
using CinchFlows.Web.Telephony;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Webhooks;

/// <summary>
/// Checks a webhook against the configured secrets (<c>Telephony:WebhookSecrets</c>, any one may sign) and the timestamp
/// tolerance (<c>Telephony:WebhookTolerance</c>) on the injected clock. The signature is checked first, so only a caller
/// that holds a secret learns that its timestamp was the problem.
/// </summary>
internal sealed class WebhookVerifier(IOptionsMonitor<TelephonyOptions> options, TimeProvider timeProvider)
{
    private KeySet keys = new([], []);

    /// <summary>True when at least one secret is configured (without one, every webhook is refused).</summary>
    public bool HasSecrets => Keys().Decoded.Count > 0;

    /// <summary>Verifies <paramref name="headers"/> against <paramref name="body"/> (the raw bytes as received).</summary>
    public WebhookVerification Verify(WebhookHeaders headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.IsComplete && StandardWebhookSignature.CountSignatures(headers.Signature!) > StandardWebhookSignature.MaxSignatures)
        {
            return WebhookVerification.TooManySignatures;
        }

        var decoded = Keys().Decoded;
        if (!headers.IsComplete || decoded.Count == 0
            || !StandardWebhookSignature.Verify(decoded, headers.Id!, headers.Timestamp!, body, headers.Signature!))
        {
            return WebhookVerification.InvalidSignature;
        }

        var sent = long.Parse(headers.Timestamp!, NumberStyles.None, CultureInfo.InvariantCulture);
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var tolerance = (long)options.CurrentValue.WebhookTolerance.TotalSeconds;
        return sent < now - tolerance || sent > now + tolerance
            ? WebhookVerification.TimestampOutOfTolerance
            : WebhookVerification.Valid;
    }

    private KeySet Keys()
    {
        // Decoded once per configuration change (options reload gives a new array), not per request.
        var secrets = options.CurrentValue.WebhookSecrets ?? [];
        var current = keys;
        if (ReferenceEquals(current.Secrets, secrets))
        {
            return current;
        }

        var decoded = new List<byte[]>();
        foreach (var secret in secrets.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                decoded.Add(StandardWebhookSignature.DecodeSecret(secret));
            }
            catch (FormatException)
            {
                // The options validator reports it at start; a bad secret never matches anything.
            }
        }

        keys = current = new KeySet(secrets, decoded);
        return current;
    }

    private sealed record KeySet(string[] Secrets, IReadOnlyList<byte[]> Decoded);
}
