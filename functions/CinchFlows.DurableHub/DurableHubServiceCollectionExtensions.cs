using CinchFlows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.DurableHub;

/// <summary>Dependency-injection entry point of the standalone engine.</summary>
public static class DurableHubServiceCollectionExtensions
{
    /// <summary>The configuration key that picks the store.</summary>
    public const string StoreKey = DurableHubOptions.SectionName + ":" + nameof(DurableHubOptions.Store);

    /// <summary>
    /// Adds the Durable Task engine as the standalone host runs it: the gRPC hub in this process on the configured
    /// backend (<see cref="DurableHubOptions"/>, section <c>Durable</c>; the account from <c>AzureWebJobsStorage</c>),
    /// and a Durable Task worker running <paramref name="registerTasks"/> and a <see cref="DurableTaskClient"/>, both
    /// connected to it over loopback gRPC. Register a <see cref="DataConverter"/> singleton to choose the JSON of
    /// payloads.
    /// </summary>
    /// <remarks>
    /// With <paramref name="versions"/> (the versions the registered orchestrators know, oldest first), every flow starts
    /// on <see cref="DurableHubOptions.Version"/> (default: the newest), and the worker runs flows of that version or
    /// older and hands newer ones back untouched (<c>CurrentOrOlder</c>, <c>Reject</c>: docs/engine.md, "Versions").
    /// Without, flows start without a version and every flow runs.
    /// </remarks>
    public static IServiceCollection AddDurableHub(this IServiceCollection services, IConfiguration configuration, Action<DurableTaskRegistry> registerTasks, IReadOnlyList<string>? versions = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registerTasks);
        var store = ParseStoreKind(configuration[StoreKey]);
        var known = versions is { Count: > 0 } ? versions.ToArray() : [];
        services.AddOptions<DurableHubOptions>()
            .BindConfiguration(DurableHubOptions.SectionName)
            .Configure(o => o.Store = store)

            // After every binding of the section (the shared handlers bind it too).
            .PostConfigure(o => o.Version = string.IsNullOrWhiteSpace(o.Version) ? (known.Length > 0 ? known[^1] : null) : o.Version.Trim())
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableHubOptions>>(new DurableHubOptionsValidator(known)));
        services.TryAddSingleton(sp =>
        {
            var account = new StorageAccountOptions();
            account.ReadConfiguration(configuration);
            return account;
        });
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton<EngineCounters>();
        services.TryAddSingleton(sp => HubBackend.Create(
            sp.GetRequiredService<IOptions<DurableHubOptions>>().Value,
            sp.GetRequiredService<StorageAccountOptions>(),
            sp.GetRequiredService<StorageRequestCounter>(),
            sp.GetRequiredService<EngineCounters>(),
            sp.GetRequiredService<ILoggerFactory>()));

        // The channel exists before the hub listens (the worker and client are built with it); it connects on first use.
        var endpoint = new HubEndpoint();
        services.AddSingleton(endpoint);
        services.AddSingleton<DurableHubServer>();
        services.TryAddSingleton<HubHistory>();
        services.TryAddSingleton<HubHealth>();

        // Before the worker: hosted services stop in reverse order, and a worker still streaming from a stopped hub
        // makes Kestrel wait for it.
        services.AddHostedService(sp => sp.GetRequiredService<DurableHubServer>());
        services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc(grpc =>
            {
                grpc.Channel = endpoint.Channel;

                // The hub sends no health pings on an idle work-item stream, so the worker's silent-disconnect check
                // would drop and reopen the stream every two minutes.
                grpc.SetSilentDisconnectTimeout(TimeSpan.Zero);
            });
            builder.AddTasks(registerTasks);
        });
        services.AddOptions<DurableTaskWorkerOptions>(Options.DefaultName).Configure<IOptions<DurableHubOptions>>((worker, hub) =>
        {
            worker.Concurrency.MaximumConcurrentActivityWorkItems = hub.Value.MaxConcurrentActivities;
            worker.Concurrency.MaximumConcurrentOrchestrationWorkItems = hub.Value.MaxConcurrentOrchestrations;
            if (hub.Value.Version is { } version)
            {
                // The SDK's own check of the same rule the adapter applies first (the hub ignores a worker's hand-back,
                // so the adapter keeps newer flows from reaching the worker at all: docs/engine.md, "Versions").
                worker.Versioning = new DurableTaskWorkerOptions.VersioningOptions
                {
                    Version = version,
                    DefaultVersion = version,
                    MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
                    FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
                };
            }
        });
        services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc(endpoint.Channel);
            builder.RegisterDirectly();
        });
        services.AddOptions<DurableTaskClientOptions>(Options.DefaultName).Configure<IOptions<DurableHubOptions>>((client, hub) =>
        {
            if (hub.Value.Version is { } version)
            {
                client.DefaultVersion = version;
            }
        });
        return services;
    }

    /// <summary>Reads <c>Durable:Store</c>; empty means Azure Storage.</summary>
    /// <exception cref="InvalidOperationException">The value names no store.</exception>
    public static DurableStoreKind ParseStoreKind(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DurableStoreKind.AzureStorage;
        }

        return Enum.TryParse<DurableStoreKind>(value.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(value.Trim()[0])
            ? kind
            : throw new InvalidOperationException($"{StoreKey} must be '{nameof(DurableStoreKind.AzureStorage)}' or '{nameof(DurableStoreKind.InMemory)}', not '{value}'.");
    }
}
