using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CinchFlows.Storage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Logging;

namespace CinchFlows.DurableHub;

/// <summary>The engine's backend: the Durable Task Azure Storage provider (the one Durable Functions uses), or memory.</summary>
public sealed class HubBackend : IDisposable
{
    private readonly TimerWakeUps? wakeUps;

    private HubBackend(DurableStoreKind kind, IOrchestrationService service, IOrchestrationServiceClient client, string workerId, TimerWakeUps? wakeUps = null)
    {
        this.wakeUps = wakeUps;
        Kind = kind;
        Service = service;
        Client = client;
        WorkerId = workerId;
    }

    /// <summary>Which backend this is.</summary>
    public DurableStoreKind Kind { get; }

    /// <summary>The backend as the hub's dispatchers use it (through <see cref="HubBackendAdapter"/>).</summary>
    public IOrchestrationService Service { get; }

    /// <summary>The backend's client side (start, query, purge), used by the hub's management calls.</summary>
    public IOrchestrationServiceClient Client { get; }

    /// <summary>This worker's name in the backend's leases.</summary>
    public string WorkerId { get; }

    /// <summary>Creates the configured backend.</summary>
    public static HubBackend Create(DurableHubOptions options, StorageAccountOptions account, StorageRequestCounter requests, EngineCounters counters, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var workerId = string.IsNullOrWhiteSpace(options.WorkerId) ? Environment.MachineName : options.WorkerId.Trim();
        if (options.Store == DurableStoreKind.InMemory)
        {
            var memory = new InMemoryOrchestrationService(loggerFactory);
            return new HubBackend(DurableStoreKind.InMemory, new HubBackendAdapter(memory, counters, loggerFactory.CreateLogger(DurableHubLog.Category))
            {
                NewestVersion = options.Version,
                MaxConcurrentOrchestrations = options.MaxConcurrentOrchestrations,
                MaxConcurrentActivities = options.MaxConcurrentActivities,
            }, memory, workerId);
        }

        var settings = Settings(options, account, requests, loggerFactory, workerId);
        var azure = new AzureStorageOrchestrationService(settings);
        var instances = StorageClients.CreateTableServiceClient(account, requests, "runtime").GetTableClient(options.TaskHubName + "Instances");
        var logger = loggerFactory.CreateLogger(DurableHubLog.Category);
        var wakeUps = options.WakeOnTimers ? new TimerWakeUps(azure, logger: logger) : null;
        var adapter = new HubBackendAdapter(azure, counters, logger, instances) { NewestVersion = options.Version, TimerWakeUps = wakeUps, ReleasesLeakedSessions = !options.ExtendedSessions };
        return new HubBackend(DurableStoreKind.AzureStorage, adapter, azure, workerId, wakeUps);
    }

    /// <summary>
    /// Creates the task hub's tables, queues and containers if missing. The hub only calls <c>StartAsync</c>, which
    /// assumes they exist.
    /// </summary>
    public Task CreateIfNotExistsAsync() => Kind == DurableStoreKind.AzureStorage ? Service.CreateIfNotExistsAsync() : Task.CompletedTask;

    /// <inheritdoc/>
    public void Dispose()
    {
        wakeUps?.Dispose();
        (Client as IDisposable)?.Dispose();
    }

    /// <summary>The Azure Storage backend's settings from the options: a seam for tests, which read them without a store.</summary>
    internal static AzureStorageOrchestrationServiceSettings Settings(DurableHubOptions options, StorageAccountOptions account, StorageRequestCounter requests, ILoggerFactory loggerFactory, string workerId)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            ControlQueueVisibilityTimeout = options.MessageVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.MessageVisibilityTimeout,
            PartitionTableOperationTimeout = options.PartitionTableOperationTimeout,
            WorkerId = workerId,

            // The app lease keeps a second app (a deployment slot) off a hub; the standalone host has none, and the lease
            // would only delay every start.
            UseAppLease = false,
            LoggerFactory = new BackendLoggerFactory(loggerFactory),
            StorageAccountClientProvider = ClientProvider(account, requests),
        };
        if (options.ControlQueueBatchSize is { } batchSize)
        {
            settings.ControlQueueBatchSize = batchSize;
        }

        if (options.ControlQueueBufferThreshold is { } bufferThreshold)
        {
            settings.ControlQueueBufferThreshold = bufferThreshold;
        }

        if (options.ExtendedSessions)
        {
            settings.ExtendedSessionsEnabled = true;
        }

        return settings;
    }

    private static StorageAccountClientProvider ClientProvider(StorageAccountOptions account, StorageRequestCounter requests)
    {
        // The account's retry settings, and every request counted (GET /api/health), as for the app's own clients.
        var blobs = new BlobClientOptions();
        var queues = new QueueClientOptions();
        var tables = new TableClientOptions();
        StorageClients.Configure(blobs, account, requests, StorageRequestCounter.Runtime);
        StorageClients.Configure(queues, account, requests, StorageRequestCounter.Runtime);
        StorageClients.Configure(tables, account, requests, StorageRequestCounter.Runtime);
        if (!account.UsesIdentity)
        {
            var connectionString = StorageClients.ConnectionString(account);
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, blobs),
                StorageServiceClientProvider.ForQueue(connectionString, queues),
                StorageServiceClientProvider.ForTable(connectionString, tables));
        }

        var credential = StorageClients.Credential(account);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(account.BlobServiceUri ?? StorageClients.AccountEndpoint(account, "blob"), credential, blobs),
            StorageServiceClientProvider.ForQueue(account.QueueServiceUri ?? StorageClients.AccountEndpoint(account, "queue"), credential, queues),
            StorageServiceClientProvider.ForTable(account.TableServiceUri ?? StorageClients.AccountEndpoint(account, "table"), credential, tables));
    }
}
