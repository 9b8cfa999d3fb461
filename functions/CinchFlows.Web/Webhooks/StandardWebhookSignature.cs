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

    /// <summary>The most signatures one <c>webhook-signature</c> header may carry; more is refused unread.</summary>
    /// <remarks>Rotation needs two or three; a long list only makes each forged delivery cost more to refuse.</remarks>
    public const int MaxSignatures = 8;

    /// <summary>How many space-separated entries <paramref name="signatureHeader"/> holds, well-formed or not.</summary>
    public static int CountSignatures(string signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(signatureHeader);
        var count = 0;
        foreach (var range in signatureHeader.AsSpan().Split(' '))
        {
            if (range.End.Value > range.Start.Value)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// True when any <c>v1</c> signature in <paramref name="signatureHeader"/> matches any of <paramref name="keys"/>;
    /// false for a header with more than <see cref="MaxSignatures"/> entries. One MAC per key, compared with every entry.
    /// </summary>
    public static bool Verify(IReadOnlyList<byte[]> keys, string webhookId, string timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(signatureHeader);
        if (CountSignatures(signatureHeader) > MaxSignatures)
        {
            return false;
        }

        byte[][]? expected = null;
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !part.AsSpan(0, comma).SequenceEqual(Version)
                || !Convert.TryFromBase64String(part[(comma + 1)..], given, out var written) || written != given.Length)
            {
                continue;
            }

            // The MACs are computed at the first well-formed entry, once per key, not once per entry and key.
            expected ??= Macs(keys, webhookId, timestamp, body);
            foreach (var mac in expected)
            {
                if (CryptographicOperations.FixedTimeEquals(mac, given))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>How many HMACs this thread has computed; lets tests see that a long header costs one MAC per key.</summary>
    internal static long MacsComputed => macsComputed;

    // Per thread, so that tests running in parallel do not count each other's MACs.
    [ThreadStatic]
    private static long macsComputed;

    private static byte[][] Macs(IReadOnlyList<byte[]> keys, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        var macs = new byte[keys.Count][];
        for (var i = 0; i < keys.Count; i++)
        {
            macs[i] = Compute(keys[i], webhookId, timestamp, body);
        }

        return macs;
    }

    private static byte[] Compute(byte[] key, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Concat(webhookId, ".", timestamp, "."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        macsComputed++;
        return HMACSHA256.HashData(key, content);
    }
}
