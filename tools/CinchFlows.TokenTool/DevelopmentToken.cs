using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CinchFlows.TokenTool;

/// <summary>An HS256 JWT shaped as an Entra ID person's access token (preferred_username, oid, scp, roles).</summary>
internal static class DevelopmentToken
{
    /// <summary>The token for <paramref name="person"/> with <paramref name="roles"/>, valid for <paramref name="lifetime"/>.</summary>
    public static string Mint(string person, IReadOnlyList<string> roles, string issuer, string audience, string signingKey, TimeSpan lifetime, DateTimeOffset now)
    {
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["preferred_username"] = person,
            ["name"] = person,
            ["oid"] = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(person))[..16]).ToString(),
            ["scp"] = "access_as_user",
            ["roles"] = roles,
        };
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
