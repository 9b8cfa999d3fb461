using System.Security.Claims;

namespace CinchFlows.Web.Access;

/// <summary>The claims CinchFlows puts on a caller (a person's token or an API key), and what it reads from them.</summary>
internal static class CallerClaims
{
    /// <summary>The person id: <c>preferred_username</c> lowercased, or the <c>oid</c>.</summary>
    public const string PersonId = "cinchflows:person";

    /// <summary>"person", "app" (an app-only token) or "key".</summary>
    public const string Kind = "cinchflows:kind";

    /// <summary>A person signed in with a token.</summary>
    public const string PersonKind = "person";

    /// <summary>An app-only token: a machine, not a person.</summary>
    public const string AppKind = "app";

    /// <summary>An API key: a machine, not a person.</summary>
    public const string KeyKind = "key";

    /// <summary>The signed-in person's id, or null when the caller is not a person.</summary>
    public static string? PersonIdOf(ClaimsPrincipal? user) =>
        user?.FindFirst(Kind)?.Value == PersonKind ? user.FindFirst(PersonId)?.Value : null;

    /// <summary>The caller's kind, or null when nobody is signed in.</summary>
    public static string? KindOf(ClaimsPrincipal? user) => user?.FindFirst(Kind)?.Value;

    /// <summary>The principal of a validated token: the person (or app), its name, and its app roles as CinchFlows roles.</summary>
    public static ClaimsPrincipal FromToken(ClaimsPrincipal token, string scheme)
    {
        ArgumentNullException.ThrowIfNull(token);
        var preferred = token.FindFirst("preferred_username")?.Value;
        var oid = token.FindFirst("oid")?.Value ?? token.FindFirst("http://schemas.microsoft.com/identity/claims/objectidentifier")?.Value;

        // Entra marks app-only tokens with idtyp=app; a delegated (person) token always carries scopes.
        var appOnly = token.FindFirst("idtyp")?.Value == "app" || token.FindFirst("scp") is null;
        var id = !string.IsNullOrWhiteSpace(preferred) ? preferred.ToLowerInvariant() : oid;
        var claims = new List<Claim>
        {
            new(Kind, appOnly || string.IsNullOrEmpty(id) ? AppKind : PersonKind),
            new(ClaimTypes.Name, token.FindFirst("name")?.Value ?? id ?? token.FindFirst("azp")?.Value ?? "app"),
        };
        if (!appOnly && !string.IsNullOrEmpty(id))
        {
            claims.Add(new Claim(PersonId, id));
        }

        foreach (var role in token.FindAll("roles").Select(r => AccessRoles.Normalize(r.Value)).OfType<string>().Distinct())
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
