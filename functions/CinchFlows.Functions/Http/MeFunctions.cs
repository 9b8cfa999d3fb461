using CinchFlows.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.Http;

/// <summary><c>GET /api/me</c> (anyone signed in), calling <see cref="MeEndpoints"/>.</summary>
internal sealed class MeFunctions(HttpFunctionGate gate)
{
    /// <summary><c>GET /api/me</c>.</summary>
    [Function(nameof(Me))]
    public Task<IResult> Me(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.SignedIn, () => Task.FromResult(MeEndpoints.Me(request.HttpContext)));
}
