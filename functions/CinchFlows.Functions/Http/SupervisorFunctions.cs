using CinchFlows.Flows;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Web.Access;
using CinchFlows.Web.Supervision;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Http;

/// <summary>The supervisor API (docs/api.md §4, supervisor or ops role) as HTTP functions calling <see cref="SupervisorEndpoints"/>.</summary>
internal sealed class SupervisorFunctions(
    HttpFunctionGate gate,
    CallbackTaskClient callbacks,
    DurableTaskClient durable,
    IEscalationAcknowledgements acknowledgements,
    CallCenterFlowClient flows,
    IOptionsMonitor<EscalationOptions> escalationOptions)
{
    /// <summary><c>GET /api/callbacks</c>.</summary>
    [Function(nameof(ListCallbacks))]
    public Task<IResult> ListCallbacks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "callbacks")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Supervisor, () => SupervisorEndpoints.ListCallbacksAsync(request, callbacks, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/callbacks/{callbackId}/claim</c>.</summary>
    [Function(nameof(ClaimCallback))]
    public Task<IResult> ClaimCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "callbacks/{callbackId}/claim")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string callbackId) =>
        gate.RunAsync(request, client, AccessPolicies.SupervisorPerson, () => SupervisorEndpoints.ClaimAsync(callbackId, request, callbacks, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/callbacks/{callbackId}/complete</c>.</summary>
    [Function(nameof(CompleteCallback))]
    public Task<IResult> CompleteCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "callbacks/{callbackId}/complete")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string callbackId) =>
        gate.RunAsync(request, client, AccessPolicies.SupervisorPerson, () => SupervisorEndpoints.CompleteAsync(callbackId, request, callbacks, request.HttpContext.RequestAborted));

    /// <summary><c>GET /api/escalations</c>.</summary>
    [Function(nameof(ListEscalations))]
    public Task<IResult> ListEscalations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "escalations")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Supervisor, () => SupervisorEndpoints.ListEscalationsAsync(request, durable, escalationOptions, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/escalations/{escalationId}/acknowledge</c>.</summary>
    [Function(nameof(AcknowledgeEscalation))]
    public Task<IResult> AcknowledgeEscalation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "escalations/{escalationId}/acknowledge")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string escalationId) =>
        gate.RunAsync(request, client, AccessPolicies.SupervisorPerson, () => SupervisorEndpoints.AcknowledgeAsync(escalationId, request, durable, acknowledgements, flows, request.HttpContext.RequestAborted));
}
