using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CinchFlows.Web.Access;

/// <summary>
/// The role check of one request, run in code: the Functions app's HTTP triggers are anonymous to the Functions host (no
/// <c>x-functions-key</c>), so each guarded trigger asks this first. It evaluates the same policies with the same
/// <c>Caller</c> scheme (bearer token, App Service sign-in or API key) as the standalone host's <c>RequireAuthorization</c>, and answers 401
/// or 403 the same way.
/// </summary>
internal sealed class RoleGuard(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator)
{
    /// <summary>Null when the request's credential passes the policy (and <see cref="HttpContext.User"/> is set); else the 401 or 403 to answer with.</summary>
    /// <param name="context">The request.</param>
    /// <param name="policyName">An <see cref="AccessPolicies"/> name.</param>
    public async Task<IResult?> DenyAsync(HttpContext context, string policyName)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = await policies.GetPolicyAsync(policyName) ?? throw new InvalidOperationException($"No authorization policy named '{policyName}'.");
        var authenticated = await evaluator.AuthenticateAsync(policy, context);
        // The request is the resource, as under the authorization middleware (PersonRequirement notes a refusal on it).
        var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, resource: context);
        if (authorized.Succeeded)
        {
            return null;
        }

        // The scheme's own challenge and forbid handlers write the problem bodies, as under RequireAuthorization.
        return authorized.Challenged
            ? Results.Challenge(authenticationSchemes: [.. policy.AuthenticationSchemes])
            : Results.Forbid(authenticationSchemes: [.. policy.AuthenticationSchemes]);
    }
}
