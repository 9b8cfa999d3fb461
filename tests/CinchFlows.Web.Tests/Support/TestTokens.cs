using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CinchFlows.Web.Tests.Support;

/// <summary>Mints bearer tokens as Entra ID would issue them, signed with the test key the in-process app validates against: the one place tests sign tokens.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://tokens.cinchflows.test/";
    public const string Audience = "api://cinchflows-tests";
    public const string SigningKey = "unit-test-identity-signing-key-0123456789-abcdef";

    /// <summary>A person's delegated token (<c>scp</c> present) with <paramref name="roles"/> (app roles: Supervisor, Ops).</summary>
    public static string Person(string name, params string[] roles) => Mint(PersonClaims(name, roles));

    /// <summary>An app-only token (<c>idtyp</c> app, no <c>scp</c>): a machine, not a person.</summary>
    public static string AppOnly(params string[] roles) =>
        Mint(new Dictionary<string, object> { ["oid"] = Guid.NewGuid().ToString(), ["idtyp"] = "app", ["azp"] = "some-daemon", ["roles"] = roles });

    /// <summary>A token with one thing wrong, to prove validation is real.</summary>
    public static string Person(string name, string[] roles, string? signingKey = null, string? audience = null, DateTime? expires = null) =>
        Mint(PersonClaims(name, roles), signingKey, audience, expires);

    private static Dictionary<string, object> PersonClaims(string name, string[] roles) => new()
    {
        ["preferred_username"] = name,
        ["name"] = name,
        ["oid"] = Guid.NewGuid().ToString(),
        ["scp"] = "access_as_user",
        ["roles"] = roles,
    };

    private static string Mint(Dictionary<string, object> claims, string? signingKey = null, string? audience = null, DateTime? expires = null)
    {
        var until = expires ?? DateTime.UtcNow.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = until.AddMinutes(-60),
            NotBefore = until.AddMinutes(-60),
            Expires = until,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
