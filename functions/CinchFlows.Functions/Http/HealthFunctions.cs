using CinchFlows.Storage;
using CinchFlows.Web.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Http;

/// <summary><c>GET /api/health</c> (anonymous), calling <see cref="HealthEndpoints"/>.</summary>
internal sealed class HealthFunctions(HttpFunctionGate gate, IEngineHealth engine, StorageRequestCounter requests, TimeProvider timeProvider, IOptions<HealthOptions> options, ILoggerFactory loggers)
{
    /// <summary><c>GET /api/health</c>.</summary>
    [Function(nameof(Health))]
    public Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, policy: null, () => HealthEndpoints.CheckAsync(engine, requests, timeProvider, options, loggers, request.HttpContext.RequestAborted));
}
