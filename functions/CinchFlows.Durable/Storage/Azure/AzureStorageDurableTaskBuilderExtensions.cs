using CinchFlows.Durable.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>Dependency-injection entry points of the Azure Storage store.</summary>
public static class AzureStorageDurableTaskBuilderExtensions
{
    /// <summary>
    /// Keeps instances in Azure Table storage and work on Azure Storage queues, with the account read the Functions way
    /// from <c>AzureWebJobsStorage</c> in the app's configuration (Azurite when absent).
    /// </summary>
    public static DurableTaskBuilder UseAzureStorage(this DurableTaskBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AzureStorageStoreOptions>().Configure<IServiceProvider>((options, services) =>
        {
            if (services.GetService<IConfiguration>() is { } configuration)
            {
                options.ReadConfiguration(configuration);
            }
        });
        return Register(builder);
    }

    /// <summary>Keeps instances in Azure Table storage and work on Azure Storage queues, configured only by <paramref name="configure"/> (configuration is not read).</summary>
    public static DurableTaskBuilder UseAzureStorage(this DurableTaskBuilder builder, Action<AzureStorageStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AzureStorageStoreOptions>().Configure(configure);
        return Register(builder);
    }

    private static DurableTaskBuilder Register(DurableTaskBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DurableMetrics>();
        services.TryAddSingleton<AzureStorageOrchestrationStore>();
        services.RemoveAll<IOrchestrationStore>();
        services.AddSingleton<IOrchestrationStore>(sp => sp.GetRequiredService<AzureStorageOrchestrationStore>());
        return builder;
    }
}
