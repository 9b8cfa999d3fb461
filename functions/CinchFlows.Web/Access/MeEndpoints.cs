using System.Security.Claims;

namespace CinchFlows.Web.Access;

/// <summary><c>GET /api/me</c>: who the caller is, for the ops page (docs/api.md §0).</summary>
internal static class MeEndpoints
{
    /// <summary>The route under <c>/api</c>.</summary>
    public const string Route = "/me";

    /// <summary>Maps the route on <paramref name="api"/> (the <c>/api</c> group) for anyone signed in.</summary>
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, Me).RequireAuthorization(AccessPolicies.SignedIn);
        return api;
    }

    /// <summary>{id, name, roles, kind}: kind is <c>person</c>, <c>key</c> or <c>app</c> (an app-only token); id is null unless a person.</summary>
    internal static IResult Me(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        return TypedResults.Ok(new
        {
            id = CallerClaims.PersonIdOf(user),
            name = user.Identity?.Name,
            roles = user.FindAll(ClaimTypes.Role).Select(r => r.Value).Distinct().ToArray(),
            kind = CallerClaims.KindOf(user),
        });
    }
}
