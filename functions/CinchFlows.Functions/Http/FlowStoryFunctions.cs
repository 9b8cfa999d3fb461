using CinchFlows.Web.Access;
using CinchFlows.Web.Management;
using CinchFlows.Web.Ops;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.Http;

/// <summary><c>GET /api/ops/flows/{instanceId}/story</c> (ops role) as an HTTP function calling <see cref="FlowStoryEndpoints"/>.</summary>
internal sealed class FlowStoryFunctions(HttpFunctionGate gate, ManagedInstances instances)
{
    /// <summary><c>GET /api/ops/flows/{instanceId}/story</c>: the flow told in the trade's words.</summary>
    [Function(nameof(GetFlowStory))]
    public Task<IResult> GetFlowStory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/flows/{instanceId}/story")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.Ops, () => FlowStoryEndpoints.GetAsync(instanceId, instances, request.HttpContext.RequestAborted));
}
