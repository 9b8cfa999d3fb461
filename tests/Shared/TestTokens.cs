using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CinchFlows.Tests.Shared;

/// <summary>
/// Mints bearer tokens as Entra ID would issue them, signed with the test key every test host validates against
/// (<see cref="HostSettings"/>): the one place tests sign tokens, compiled into each test project that needs it.
/// </summary>
internal static class TestTokens
{
    public const string Issuer = "https://tokens.cinchflows.test/";
    public const string Audience = "api://cinchflows-tests";
    public const string SigningKey = "unit-test-identity-signing-key-0123456789-abcdef";

    /// <summary>The <c>Identity</c> settings a test host needs to accept these tokens.</summary>
    public static IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>
    {
        ["Identity:Issuer"] = Issuer,
        ["Identity:Audience"] = Audience,
        ["Identity:SigningKey"] = SigningKey,
    };

    /// <summary>Stands for <see cref="OpsLead"/>'s token where a default parameter must be a constant (<see cref="Apply"/> resolves it).</summary>
    public const string OpsPerson = "person:ops-lead@contoso.test";

    /// <summary>The ops person tests act as by default.</summary>
    public static string OpsLead => Person("ops-lead@contoso.test", "Ops");

    /// <summary>How to send <paramref name="credential"/>: a token (or <see cref="OpsPerson"/>) as <c>Authorization: Bearer</c>, anything else as <c>X-Api-Key</c>.</summary>
    public static void Apply(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (credential is null)
        {
            return;
        }

        if (credential == OpsPerson)
        {
            credential = OpsLead;
        }

        if (credential.StartsWith("eyJ", StringComparison.Ordinal) && credential.Count(c => c == '.') == 2)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        }
        else
        {
            request.Headers.Add("X-Api-Key", credential);
        }
    }

    /// <summary>A person's delegated token (<c>scp</c> present) with <paramref name="roles"/> (app roles: Supervisor, Ops).</summary>
    public static string Person(string name, params string[] roles) => Mint(PersonClaims(name, roles));

    /// <summary>An app-only token (<c>idtyp</c> app, no <c>scp</c>): a machine, not a person.</summary>
    public static string AppOnly(params string[] roles) =>
        Mint(new Dictionary<string, object> { ["oid"] = Guid.NewGuid().ToString(), ["idtyp"] = "app", ["azp"] = "some-daemon", ["roles"] = roles });

    /// <summary>A token with one thing wrong, to prove validation is real.</summary>
    public static string Person(string name, string[] roles, string? signingKey = null, string? audience = null, DateTime? expires = null) =>
        Mint(PersonClaims(name, roles), signingKey, audience, expires);

    /// <summary>
    /// An <c>X-MS-CLIENT-PRINCIPAL</c> value as App Service writes it for a person signed in with Entra (Easy Auth):
    /// Base64 of the ID token's claims. <paramref name="longNames"/> gives <c>oid</c> and the roles the long claim type
    /// names Easy Auth may use; <paramref name="preferredUsername"/> false leaves the person only their object id.
    /// </summary>
    public static string AppServicePrincipal(string name, string[] roles, string? objectId = null, bool longNames = false, bool preferredUsername = true)
    {
        const string RoleLongName = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
        var claims = new List<Dictionary<string, string>>
        {
            new() { ["typ"] = "aud", ["val"] = "00000000-0000-0000-0000-0000000000c1" },
            new() { ["typ"] = "name", ["val"] = name },
            new() { ["typ"] = longNames ? "http://schemas.microsoft.com/identity/claims/objectidentifier" : "oid", ["val"] = objectId ?? Guid.NewGuid().ToString() },
        };
        if (preferredUsername)
        {
            claims.Add(new() { ["typ"] = "preferred_username", ["val"] = name });
        }

        claims.AddRange(roles.Select(r => new Dictionary<string, string> { ["typ"] = longNames ? RoleLongName : "roles", ["val"] = r }));
        var principal = new Dictionary<string, object>
        {
            ["auth_typ"] = "aad",
            ["claims"] = claims,
            ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            ["role_typ"] = longNames ? RoleLongName : "roles",
        };
        return Convert.ToBase64String(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(principal));
    }

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
