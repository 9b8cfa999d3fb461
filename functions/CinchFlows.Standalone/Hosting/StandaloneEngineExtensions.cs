using CinchFlows.DurableHub;
using CinchFlows.Flows;
using CinchFlows.Flows.Versioning;
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
    /// Adds the engine (the in-process hub on the configured backend, a worker running <paramref name="registerTasks"/>
    /// up to the configured flow version, and a client starting flows on it: <see cref="FlowVersions"/>), payload JSON as the API shows it (<see cref="FlowJson"/>), and what the shared handlers ask of the
    /// engine: the instance history and the engine's health.
    /// </summary>
    public static WebApplicationBuilder AddStandaloneEngine(this WebApplicationBuilder builder, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddDurableHub(builder.Configuration, registerTasks, FlowVersions.Known);
        services.TryAddSingleton<DataConverter>(new JsonDataConverter(FlowJson.Options));
        services.TryAddSingleton<IInstanceHistory, HubInstanceHistory>();
        services.TryAddSingleton<IEngineHealth, HubEngineHealth>();
        return builder;
    }
}
