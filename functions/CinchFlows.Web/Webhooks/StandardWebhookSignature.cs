using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CinchFlows.Web.Webhooks;

/// <summary>
/// The Standard Webhooks signature scheme (standardwebhooks.com): HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c> with
/// the base64-decoded part of a <c>whsec_…</c> secret, sent as a space-separated list of <c>v1,&lt;base64&gt;</c>.
/// Used both ways: to verify incoming telephony webhooks and to sign outgoing telephony commands.
/// </summary>
internal static class StandardWebhookSignature
{
    /// <summary>The prefix of a secret as written in configuration.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The version tag of the only scheme defined so far.</summary>
    private const string Version = "v1";

    /// <summary>Decodes <c>whsec_&lt;base64&gt;</c> (or bare base64) into the HMAC key.</summary>
    /// <exception cref="FormatException">The secret is empty or not base64.</exception>
    public static byte[] DecodeSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var key = Convert.FromBase64String(encoded);
        return key.Length > 0 ? key : throw new FormatException("A webhook secret must not be empty.");
    }

    /// <summary>The <c>webhook-signature</c> value for one key: <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Sign(byte[] key, string webhookId, long timestamp, ReadOnlySpan<byte> body) =>
        string.Concat(Version, ",", Convert.ToBase64String(Compute(key, webhookId, timestamp.ToString(CultureInfo.InvariantCulture), body)));

    /// <summary>True when any <c>v1</c> signature in <paramref name="signatureHeader"/> matches any of <paramref name="keys"/>.</summary>
    public static bool Verify(IReadOnlyList<byte[]> keys, string webhookId, string timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(signatureHeader);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !part.AsSpan(0, comma).SequenceEqual(Version)
                || !Convert.TryFromBase64String(part[(comma + 1)..], given, out var written) || written != given.Length)
            {
                continue;
            }

            foreach (var key in keys)
            {
                if (CryptographicOperations.FixedTimeEquals(Compute(key, webhookId, timestamp, body), given))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static byte[] Compute(byte[] key, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Concat(webhookId, ".", timestamp, "."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}
