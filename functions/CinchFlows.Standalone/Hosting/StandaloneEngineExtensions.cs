using CinchFlows.DurableHub;
using CinchFlows.Flows;
using CinchFlows.Web.Health;
using CinchFlows.Web.Management;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CinchFlows.Standalone.Hosting;

/// <summary>Registers the Durable Task engine the way the standalone host runs it.</summary>
internal static class StandaloneEngineExtensions
{
    /// <summary>
    /// Adds the engine (the in-process hub on the configured backend, a worker running <paramref name="registerTasks"/>,
    /// and a client), payload JSON as the API shows it (<see cref="FlowJson"/>), and what the shared handlers ask of the
    /// engine: the instance history and the engine's health.
    /// </summary>
    public static WebApplicationBuilder AddStandaloneEngine(this WebApplicationBuilder builder, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddDurableHub(builder.Configuration, registerTasks);
        services.TryAddSingleton<DataConverter>(new JsonDataConverter(FlowJson.Options));
        services.TryAddSingleton<IInstanceHistory, HubInstanceHistory>();
        services.TryAddSingleton<IEngineHealth, HubEngineHealth>();
        return builder;
    }
}
