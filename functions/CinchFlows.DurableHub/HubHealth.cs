using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.DurableHub;

/// <summary>Whether the engine can work: its hub listens and its storage answers.</summary>
public sealed class HubHealth(HubBackend backend, DurableHubServer server, StorageAccountOptions account, StorageRequestCounter requests, Microsoft.Extensions.Options.IOptions<DurableHubOptions> options)
{
    private readonly Lazy<TableClient> instances = new(() =>
        StorageClients.CreateTableServiceClient(account, requests, StorageRequestCounter.Runtime).GetTableClient(options.Value.TaskHubName + "Instances"));

    /// <summary>The backend's kind, for the health answer.</summary>
    public DurableStoreKind Store => backend.Kind;

    /// <summary>True once the in-process hub listens.</summary>
    public bool HubListening => server.IsListening;

    /// <summary>
    /// One storage round trip: a point read of a row that cannot exist in the backend's Instances table (a partition
    /// query would make Azurite scan the whole table). Throws when storage does not answer or the table is missing.
    /// </summary>
    public async Task CheckStorageAsync(CancellationToken cancellationToken)
    {
        if (backend.Kind != DurableStoreKind.AzureStorage)
        {
            return;
        }

        await instances.Value.GetEntityIfExistsAsync<TableEntity>("~health", "~health", select: ["PartitionKey"], cancellationToken).ConfigureAwait(false);
    }
}
