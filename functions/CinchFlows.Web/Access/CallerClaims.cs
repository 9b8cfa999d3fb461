using System.Security.Claims;

namespace CinchFlows.Web.Access;

/// <summary>The claims CinchFlows puts on a caller (a person's token or App Service sign-in, or an API key), and what it reads from them.</summary>
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

    /// <summary>The claim type Easy Auth (and .NET's claim mapping) gives <c>oid</c>.</summary>
    public const string ObjectIdLongName = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The signed-in person's id, or null when the caller is not a person.</summary>
    public static string? PersonIdOf(ClaimsPrincipal? user) =>
        user?.FindFirst(Kind)?.Value == PersonKind ? user.FindFirst(PersonId)?.Value : null;

    /// <summary>The caller's kind, or null when nobody is signed in.</summary>
    public static string? KindOf(ClaimsPrincipal? user) => user?.FindFirst(Kind)?.Value;

    /// <summary>The principal of a validated token: the person (or app), its name, and its app roles as CinchFlows roles.</summary>
    public static ClaimsPrincipal FromToken(ClaimsPrincipal token, string scheme)
    {
        ArgumentNullException.ThrowIfNull(token);
        var id = PersonIdFrom(token.FindFirst("preferred_username")?.Value, token.FindFirst("oid")?.Value ?? token.FindFirst(ObjectIdLongName)?.Value);

        // Entra marks app-only tokens with idtyp=app; a delegated (person) token always carries scopes.
        var appOnly = token.FindFirst("idtyp")?.Value == "app" || token.FindFirst("scp") is null;
        return Build(
            appOnly ? null : id,
            token.FindFirst("name")?.Value ?? id ?? token.FindFirst("azp")?.Value ?? "app",
            token.FindAll("roles").Select(r => r.Value),
            scheme);
    }

    /// <summary>A person's id: <paramref name="preferredUsername"/> lowercased, else <paramref name="objectId"/>, else null.</summary>
    public static string? PersonIdFrom(string? preferredUsername, string? objectId) =>
        !string.IsNullOrWhiteSpace(preferredUsername) ? preferredUsername.ToLowerInvariant()
        : !string.IsNullOrWhiteSpace(objectId) ? objectId
        : null;

    /// <summary>
    /// The principal CinchFlows works with: a person when <paramref name="personId"/> is given, else an app; the known
    /// roles among <paramref name="roles"/> (app roles Supervisor, Ops) as CinchFlows roles, the others dropped.
    /// </summary>
    public static ClaimsPrincipal Build(string? personId, string name, IEnumerable<string> roles, string scheme)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var claims = new List<Claim>
        {
            new(Kind, string.IsNullOrEmpty(personId) ? AppKind : PersonKind),
            new(ClaimTypes.Name, name),
        };
        if (!string.IsNullOrEmpty(personId))
        {
            claims.Add(new Claim(PersonId, personId));
        }

        foreach (var role in roles.Select(AccessRoles.Normalize).OfType<string>().Distinct())
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
