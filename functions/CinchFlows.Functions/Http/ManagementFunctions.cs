using CinchFlows.Web.Access;
using CinchFlows.Web.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Functions.Http;

/// <summary>The management API (docs/api.md §5, ops role) as HTTP functions: each calls the handler the standalone host maps in <see cref="ManagementEndpoints"/>.</summary>
internal sealed class ManagementFunctions(HttpFunctionGate gate, ManagedInstances instances, ILoggerFactory loggers)
{
    /// <summary><c>POST /api/orchestrators/{name}/{instanceId?}</c>.</summary>
    [Function(nameof(StartInstance))]
    public Task<IResult> StartInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orchestrators/{name}/{instanceId?}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string name,
        string? instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => ManagementEndpoints.StartAsync(name, instanceId, request, instances, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>GET /api/instances/{instanceId}</c>.</summary>
    [Function(nameof(GetInstance))]
    public Task<IResult> GetInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "instances/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.Ops, () => ManagementEndpoints.GetStatusAsync(instanceId, request, request.HttpContext.Response, instances, request.HttpContext.RequestAborted));

    /// <summary><c>GET /api/instances</c>.</summary>
    [Function(nameof(ListInstances))]
    public Task<IResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "instances")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Ops, () => ManagementEndpoints.ListAsync(request, request.HttpContext.Response, instances, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/instances/{instanceId}/raiseEvent/{eventName}</c>.</summary>
    [Function(nameof(RaiseEvent))]
    public Task<IResult> RaiseEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/raiseEvent/{eventName}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId,
        string eventName) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => ManagementEndpoints.RaiseEventAsync(instanceId, eventName, request, instances, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/instances/{instanceId}/terminate?reason=</c>.</summary>
    [Function(nameof(TerminateInstance))]
    public Task<IResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/terminate")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => ManagementEndpoints.TerminateAsync(instanceId, Reason(request), instances, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/instances/{instanceId}/suspend?reason=</c>.</summary>
    [Function(nameof(SuspendInstance))]
    public Task<IResult> SuspendInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/suspend")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => ManagementEndpoints.SuspendAsync(instanceId, Reason(request), instances, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>POST /api/instances/{instanceId}/resume?reason=</c>.</summary>
    [Function(nameof(ResumeInstance))]
    public Task<IResult> ResumeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/resume")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => ManagementEndpoints.ResumeAsync(instanceId, Reason(request), instances, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>DELETE /api/instances/{instanceId}</c>.</summary>
    [Function(nameof(PurgeInstance))]
    public Task<IResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "instances/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        gate.RunAsync(request, client, AccessPolicies.OpsPerson, () => ManagementEndpoints.PurgeAsync(instanceId, instances, loggers, request.HttpContext.RequestAborted));

    // The standalone host binds ?reason= to the handler's parameter; the first value, as minimal APIs take it.
    private static string? Reason(HttpRequest request) => request.Query["reason"].FirstOrDefault();
}
