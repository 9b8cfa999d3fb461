using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>Finds the role of a presented API key without leaking, through timing, which key or how much of it matched.</summary>
internal sealed class AccessKeyMatcher(IOptionsMonitor<AccessOptions> options)
{
    private readonly Lock gate = new();
    private AccessOptions? cachedFor;
    private (byte[] Digest, string Role)[] cached = [];

    /// <summary>True when at least one key is configured.</summary>
    public bool HasKeys => Entries().Length > 0;

    /// <summary>The role of <paramref name="presentedKey"/>, or null when it is not a configured key.</summary>
    public string? FindRole(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return null;
        }

        // Compare fixed-length digests of the UTF-8 bytes, and always all of them, so neither the key's length nor its position shows in the timing.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        string? role = null;
        foreach (var entry in Entries())
        {
            if (CryptographicOperations.FixedTimeEquals(digest, entry.Digest))
            {
                role ??= entry.Role;
            }
        }

        return role;
    }

    private (byte[] Digest, string Role)[] Entries()
    {
        var current = options.CurrentValue;
        lock (gate)
        {
            if (!ReferenceEquals(current, cachedFor))
            {
                cached = [.. current.Keys
                    .Where(k => !string.IsNullOrEmpty(k.Key) && AccessRoles.Normalize(k.Role) is not null)
                    .Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), AccessRoles.Normalize(k.Role)!))];
                cachedFor = current;
            }

            return cached;
        }
    }
}
