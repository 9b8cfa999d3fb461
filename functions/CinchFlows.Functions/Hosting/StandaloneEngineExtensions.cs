using CinchFlows.DurableHub;
using CinchFlows.Flows;
using CinchFlows.Functions.Management;
using CinchFlows.Functions.Supervision;
using CinchFlows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Hosting;

/// <summary>Registers the Durable Task engine and the app's storage the way the standalone host runs them.</summary>
internal static class StandaloneEngineExtensions
{
    /// <summary>
    /// Adds the engine (the in-process hub on the configured backend, a worker running the flows plus
    /// <paramref name="registerTasks"/>, and a client), payload JSON as the API shows it (<see cref="FlowJson"/>), the
    /// app's own tables and queues, and the management API's view of instances.
    /// </summary>
    public static WebApplicationBuilder AddStandaloneEngine(this WebApplicationBuilder builder, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddDurableHub(builder.Configuration, registerTasks);
        services.TryAddSingleton<DataConverter>(new JsonDataConverter(FlowJson.Options));
        services.TryAddSingleton(sp => new AppStorage(
            sp.GetRequiredService<StorageAccountOptions>(),
            sp.GetRequiredService<StorageRequestCounter>(),
            sp.GetRequiredService<IOptions<DurableHubOptions>>().Value.TaskHubName));
        services.TryAddSingleton(new OrchestratorCatalog(registerTasks));
        services.TryAddSingleton<IInstanceHistory, HubInstanceHistory>();
        services.TryAddSingleton<ManagedInstances>();
        if (IsInMemory(builder.Configuration))
        {
            services.TryAddSingleton<IEscalationAcknowledgements, InMemoryEscalationAcknowledgements>();
        }
        else
        {
            services.TryAddSingleton<IEscalationAcknowledgements, TableEscalationAcknowledgements>();
        }

        return builder;
    }

    /// <summary>True when <c>Durable:Store</c> is <c>InMemory</c>.</summary>
    public static bool IsInMemory(IConfiguration configuration) =>
        DurableHubServiceCollectionExtensions.ParseStoreKind(configuration[DurableHubServiceCollectionExtensions.StoreKey]) == DurableStoreKind.InMemory;
}
