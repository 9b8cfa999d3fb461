using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Web.Access;
using CinchFlows.Web.Ops;
using CinchFlows.Web.StuckFlows;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Http;

/// <summary>The ops page (<c>/api/ops/</c>, anonymous: its data needs a key) its search route and the stuck-flow check (ops role), calling <see cref="OpsPageEndpoints"/> and <see cref="FlowSearchEndpoints"/>.</summary>
internal sealed class OpsFunctions(HttpFunctionGate gate, DurableTaskClient durable, IOptionsMonitor<EscalationOptions> escalations, StuckFlowCheck stuckFlows, StuckFlowRepair repair)
{
    /// <summary><c>GET /api/ops</c> and <c>/api/ops/</c>.</summary>
    [Function(nameof(OpsPage))]
    public Task<IResult> OpsPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpsPageEndpoints.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Anonymous, () => Task.FromResult(OpsPageEndpoints.Page(request, request.HttpContext.Response)));

    /// <summary><c>GET /api/ops/{asset}</c>: the page's script, style sheet and HTML.</summary>
    [Function(nameof(OpsPageAsset))]
    public Task<IResult> OpsPageAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpsPageEndpoints.AssetRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string asset) =>
        gate.RunAsync(request, client, AccessPolicies.Anonymous, () => Task.FromResult(OpsPageEndpoints.Serve(request.HttpContext.Response, asset)));

    /// <summary><c>GET /api/ops/flows?callId=</c> or <c>?serviceJobId=</c>.</summary>
    [Function(nameof(SearchFlows))]
    public Task<IResult> SearchFlows(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/flows")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Ops, () => FlowSearchEndpoints.SearchAsync(request, durable, escalations, request.HttpContext.RequestAborted));

    /// <summary><c>GET /api/ops/stuck-flows</c>: the stuck-flow check, now.</summary>
    [Function(nameof(ListStuckFlows))]
    public Task<IResult> ListStuckFlows(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/stuck-flows")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Ops, () => StuckFlowEndpoints.ListAsync(stuckFlows, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/ops/stuck-flows/{instanceId}/repair</c>.</summary>
    [Function(nameof(RepairStuckFlow))]
    public Task<IResult> RepairStuckFlow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/stuck-flows/{instanceId}/repair")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => StuckFlowEndpoints.RepairAsync(instanceId, request, repair, request.HttpContext.RequestAborted));
}
