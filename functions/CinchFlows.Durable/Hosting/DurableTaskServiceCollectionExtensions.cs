using CinchFlows.Durable.Client;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Durable.Hosting;

/// <summary>Dependency-injection entry points of the durable runtime.</summary>
public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: registry, client, worker and metrics, with <see cref="DurableTaskOptions"/> bound to the
    /// "Durable" configuration section. Choose a store on the returned builder.
    /// </summary>
    public static DurableTaskBuilder AddDurableTask(this IServiceCollection services, Action<DurableTaskRegistry> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var registry = new DurableTaskRegistry();
        configure(registry);
        foreach (var type in registry.Orchestrators.Values.Concat(registry.Activities.Values))
        {
            services.TryAddTransient(type);
        }

        services.AddSingleton(registry);
        services.AddOptions<DurableTaskOptions>().BindConfiguration(DurableTaskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableTaskOptions>, DurableTaskOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DurableMetrics>();
        services.TryAddSingleton<WorkSignal>();
        services.TryAddSingleton<LocalStarts>();
        services.TryAddSingleton<DurableTaskClient>();
        services.TryAddSingleton<OrchestrationWorker>();
        return new DurableTaskBuilder(services);
    }

    /// <summary>Keeps everything in memory (tests, demos): nothing survives the process.</summary>
    public static DurableTaskBuilder UseInMemoryStore(this DurableTaskBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IOrchestrationStore, InMemoryOrchestrationStore>();
        return builder;
    }

    /// <summary>Runs the queue listener, local timers and sweeper in this process (standalone hosting).</summary>
    public static DurableTaskBuilder AddQueueListener(this DurableTaskBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<DurableWorkerService>();
        return builder;
    }
}
