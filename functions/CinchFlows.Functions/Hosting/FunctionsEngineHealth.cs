using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;
using CinchFlows.Web.Health;

namespace CinchFlows.Functions.Hosting;

/// <summary>
/// The engine's health under the Functions host: the host's Durable extension runs the engine (on the Azure Storage
/// backend), so this app checks that the storage it uses answers, reading the task hub's instances table as the
/// standalone host does. The extension's own counts are not visible to the worker: they read 0.
/// </summary>
internal sealed class FunctionsEngineHealth(AppStorage storage, StorageAccountOptions account) : IEngineHealth
{
    private readonly TableClient instances = StorageClients.CreateTableServiceClient(account, storage.Counter, "health").GetTableClient(storage.TaskHubName + "Instances");

    /// <inheritdoc/>
    public string Store => "AzureStorage";

    /// <inheritdoc/>
    public bool Ready => true;

    /// <inheritdoc/>
    public long Steps => 0;

    /// <inheritdoc/>
    public long Activities => 0;

    /// <inheritdoc/>
    public long EmptyPolls => 0;

    /// <inheritdoc/>
    public async Task CheckStorageAsync(CancellationToken cancellationToken)
    {
        try
        {
            await instances.GetEntityIfExistsAsync<TableEntity>("~health", "~health", select: ["PartitionKey"], cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Storage answered; the extension creates the table when it starts the hub.
        }
    }
}
