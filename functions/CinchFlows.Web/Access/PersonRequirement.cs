using Microsoft.AspNetCore.Authorization;

namespace CinchFlows.Web.Access;

/// <summary>The caller must be a person (a delegated token), not an API key or an app-only token: what the person policies add to the role.</summary>
internal sealed class PersonRequirement : AuthorizationHandler<PersonRequirement>, IAuthorizationRequirement
{
    /// <summary>The 403's detail for a machine (key or app-only token) on an action.</summary>
    public const string SignInDetail =
        "An API key or an app-only token is not a person: to act, sign in as yourself (Authorization: Bearer, a person's token with the role). Keys are for machine readers (monitoring, dashboards) and may only read.";

    // Set on the request when it was refused for not being a person, so the scheme's 403 can say why.
    private static readonly object NotAPerson = new();

    /// <summary>True when <paramref name="context"/> was refused for not being a person.</summary>
    public static bool WasRefused(HttpContext context) => context.Items.ContainsKey(NotAPerson);

    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PersonRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallerClaims.PersonIdOf(context.User) is not null)
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http)
        {
            // The authorization middleware and RoleGuard both pass the request as the resource.
            http.Items[NotAPerson] = true;
        }

        return Task.CompletedTask;
    }
}
