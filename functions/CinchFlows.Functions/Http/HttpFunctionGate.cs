using CinchFlows.Functions.Hosting;
using CinchFlows.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.Http;

/// <summary>
/// What every HTTP function does before its handler: binds the extension's client for the shared handlers and, for a
/// guarded route, runs the role check the standalone host runs (<see cref="RoleGuard"/>). The triggers are anonymous
/// to the Functions host, so the caller's own credential (a person's bearer token or App Service's sign-in header, or
/// an <c>X-Api-Key</c> for reads) is the only one (no function keys).
/// </summary>
internal sealed class HttpFunctionGate(BoundDurableTaskClient durable, RoleGuard guard)
{
    /// <summary>
    /// Runs <paramref name="handle"/> when <paramref name="policy"/> allows the request; else answers 401 or 403. Every
    /// trigger names its policy; an open route says <see cref="AccessPolicies.Anonymous"/> (there is no default).
    /// </summary>
    public async Task<IResult> RunAsync(HttpRequest request, DurableTaskClient client, string policy, Func<Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(policy);
        ArgumentNullException.ThrowIfNull(handle);
        durable.Bind(client);
        if (policy != AccessPolicies.Anonymous && await guard.DenyAsync(request.HttpContext, policy) is { } denied)
        {
            return denied;
        }

        return await handle();
    }
}
