using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.Http;

/// <summary><c>GET /api/ops/flows/{instanceId}/actions</c> (ops role) as an HTTP function calling <see cref="FlowActionEndpoints"/>.</summary>
internal sealed class FlowActionFunctions(HttpFunctionGate gate, IActionLog actions)
{
    /// <summary><c>GET /api/ops/flows/{instanceId}/actions</c>: who did what to the flow, oldest first.</summary>
    [Function(nameof(ListFlowActions))]
    public Task<IResult> ListFlowActions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/flows/{instanceId}/actions")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.Ops, () => FlowActionEndpoints.ListAsync(instanceId, actions, request.HttpContext.RequestAborted));
}
