using Azure.Core.Serialization;
using CinchFlows.Flows;
using CinchFlows.Functions.Http;
using CinchFlows.Web.Health;
using CinchFlows.Web.Hosting;
using CinchFlows.Web.Management;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CinchFlows.Functions.Hosting;

/// <summary>Registers what the Functions app's function classes call: the shared handlers, bound to the Durable extension's engine.</summary>
internal static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the handlers both hosts share (<see cref="WebServiceCollectionExtensions.AddCinchFlowsWeb"/>) with this
    /// host's engine: the extension's client (bound per invocation, <see cref="BoundDurableTaskClient"/>), history
    /// through that client, storage-based health, and the flows' payload JSON for activity and orchestrator data.
    /// </summary>
    public static IServiceCollection AddCinchFlowsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Payloads as the standalone host writes them (FlowJson: camelCase, enums as names), so a flow's history reads
        // the same in both hosts.
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(FlowJson.Options));

        services.TryAddSingleton<BoundDurableTaskClient>();
        services.TryAddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<BoundDurableTaskClient>());
        services.TryAddSingleton<IInstanceHistory, ClientInstanceHistory>();
        services.TryAddSingleton<IEngineHealth, FunctionsEngineHealth>();
        services.TryAddSingleton<HttpFunctionGate>();
        services.AddCinchFlowsWeb(configuration, new OrchestratorCatalog(registry => registry.AddCallCenterFlows()));
        return services;
    }
}
