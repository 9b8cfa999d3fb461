using CinchFlows.Storage;
using CinchFlows.Web.Access;
using CinchFlows.Web.Health;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Http;

/// <summary><c>GET /api/health</c>, <c>/api/health/ready</c> and <c>/api/health/live</c> (anonymous; an ops key sees the detail), calling <see cref="HealthEndpoints"/>.</summary>
internal sealed class HealthFunctions(HttpFunctionGate gate, IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator, IEngineHealth engine, StorageRequestCounter requests, TimeProvider timeProvider, IOptions<HealthOptions> options, ILoggerFactory loggers)
{
    /// <summary><c>GET /api/health</c>.</summary>
    [Function(nameof(Health))]
    public Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Anonymous, () => HealthEndpoints.CheckAsync(request.HttpContext, policies, evaluator, engine, requests, timeProvider, options, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>GET /api/health/ready</c>: the same readiness as <c>/api/health</c>.</summary>
    [Function(nameof(HealthReady))]
    public Task<IResult> HealthReady(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Anonymous, () => HealthEndpoints.CheckAsync(request.HttpContext, policies, evaluator, engine, requests, timeProvider, options, loggers, request.HttpContext.RequestAborted));

    /// <summary><c>GET /api/health/live</c>: the worker answers; nothing else is touched.</summary>
    [Function(nameof(HealthLive))]
    public Task<IResult> HealthLive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/live")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Anonymous, () => Task.FromResult(HealthEndpoints.Live()));
}
