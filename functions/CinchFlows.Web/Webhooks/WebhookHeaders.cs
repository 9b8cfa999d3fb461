using Microsoft.Extensions.Primitives;

namespace CinchFlows.Web.Webhooks;

/// <summary>The Standard Webhooks headers of one request; each null when absent, repeated or malformed.</summary>
/// <param name="Id">The <c>webhook-id</c>: 1-256 printable ASCII characters.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c>: Unix seconds as sent (the signed text).</param>
/// <param name="Signature">The <c>webhook-signature</c> list.</param>
internal sealed record WebhookHeaders(string? Id, string? Timestamp, string? Signature)
{
    /// <summary>The <c>webhook-id</c> header.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The <c>webhook-timestamp</c> header.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The <c>webhook-signature</c> header.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The longest <c>webhook-id</c> accepted; receipts are keyed by it.</summary>
    public const int MaxIdLength = 256;

    /// <summary>The longest <c>webhook-signature</c> accepted: room for dozens of signatures, a bound on the work per request.</summary>
    public const int MaxSignatureLength = 4096;

    /// <summary>True when all three headers are present and well formed.</summary>
    public bool IsComplete => Id is not null && Timestamp is not null && Signature is not null;

    /// <summary>Reads the three headers from <paramref name="headers"/>.</summary>
    public static WebhookHeaders Read(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var id = Single(headers[IdHeader]);
        var timestamp = Single(headers[TimestampHeader]);
        var signature = Single(headers[SignatureHeader]);
        return new WebhookHeaders(
            id is { Length: > 0 and <= MaxIdLength } && id.All(c => c is > ' ' and <= '~') ? id : null,
            timestamp is { Length: > 0 and <= 18 } && timestamp.All(char.IsAsciiDigit) ? timestamp : null,
            signature is { Length: > 0 and <= MaxSignatureLength } ? signature : null);
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;
}
