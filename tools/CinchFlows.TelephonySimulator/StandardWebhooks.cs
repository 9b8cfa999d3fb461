using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CinchFlows.TelephonySimulator;

/// <summary>The platform's own Standard Webhooks code (standardwebhooks.com), written apart from the service's so each checks the other.</summary>
public static class StandardWebhooks
{
    /// <summary>The header carrying the message id.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header carrying the Unix time in seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header carrying the space-separated <c>v1,&lt;base64&gt;</c> signatures.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The prefix of a secret: <c>whsec_&lt;base64 key&gt;</c>.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The key inside a <c>whsec_…</c> secret (the prefix is optional).</summary>
    /// <exception cref="FormatException">Not base64, or empty.</exception>
    public static byte[] DecodeSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret.Substring(SecretPrefix.Length) : secret);
        if (key.Length == 0)
        {
            throw new FormatException("The secret holds no key.");
        }

        return key;
    }

    /// <summary>A secret for <paramref name="key"/>: <c>whsec_</c> and the key in base64.</summary>
    public static string EncodeSecret(ReadOnlySpan<byte> key) => SecretPrefix + Convert.ToBase64String(key);

    /// <summary>The <c>webhook-signature</c> value for one message: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</summary>
    public static string Sign(string secret, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        return "v1," + Convert.ToBase64String(Mac(DecodeSecret(secret), webhookId, timestamp.ToString(CultureInfo.InvariantCulture), body));
    }

    /// <summary>True when one of the <c>v1</c> signatures in <paramref name="signatureHeader"/> was made with one of <paramref name="secrets"/>.</summary>
    public static bool Verify(IEnumerable<string> secrets, string webhookId, string timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(webhookId);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(signatureHeader);
        var offered = new List<byte[]>();
        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.StartsWith("v1,", StringComparison.Ordinal))
            {
                try
                {
                    offered.Add(Convert.FromBase64String(entry.Substring(3)));
                }
                catch (FormatException)
                {
                    // One malformed entry does not spoil the others.
                }
            }
        }

        var verified = false;
        foreach (var secret in secrets)
        {
            var expected = Mac(DecodeSecret(secret), webhookId, timestamp, body);
            foreach (var signature in offered)
            {
                verified |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return verified;
    }

    /// <summary>True when <paramref name="timestamp"/> is Unix seconds within <paramref name="tolerance"/> of <paramref name="now"/>, either way.</summary>
    public static bool IsFresh(string timestamp, DateTimeOffset now, TimeSpan tolerance) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= tolerance.TotalSeconds;

    private static byte[] Mac(byte[] key, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(webhookId + "." + timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
