using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>
/// Table and queue service clients for the app's storage account (<c>AzureWebJobsStorage</c>), configured one way for
/// everything that uses the account: the runtime's store, callback tasks, webhook receipts, storage-queue notifications.
/// Every request is counted in <see cref="DurableMetrics"/>.
/// </summary>
public static class AzureStorageClients
{
    private const string TableService = "table";
    private const string QueueService = "queue";

    /// <summary>A table service client: connection string, or identity-based settings.</summary>
    /// <param name="options">The account's settings.</param>
    /// <param name="metrics">Where its requests are counted.</param>
    /// <param name="component">Who sends the requests, for the count by component (e.g. "webhook-receipts").</param>
    public static TableServiceClient CreateTableServiceClient(AzureStorageStoreOptions options, DurableMetrics metrics, string component = DurableMetrics.RuntimeComponent)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        var clientOptions = new TableClientOptions();
        Configure(clientOptions, options, new StorageRequestCountingPolicy(metrics, TableService, component));
        return options.UsesIdentity
            ? new TableServiceClient(options.TableServiceUri ?? AccountEndpoint(options, TableService), Credential(options), clientOptions)
            : new TableServiceClient(ConnectionString(options), clientOptions);
    }

    /// <summary>A queue service client whose messages the caller encodes itself (Base64 on the wire, as the Functions queue trigger expects).</summary>
    /// <param name="options">The account's settings.</param>
    /// <param name="metrics">Where its requests are counted.</param>
    /// <param name="component">Who sends the requests, for the count by component (e.g. "notifications").</param>
    public static QueueServiceClient CreateQueueServiceClient(AzureStorageStoreOptions options, DurableMetrics metrics, string component = DurableMetrics.RuntimeComponent)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);

        // The SDK's own Base64 decoder throws on a body that is not Base64, and one such message would then fail every receive.
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        Configure(clientOptions, options, new StorageRequestCountingPolicy(metrics, QueueService, component));
        return options.UsesIdentity
            ? new QueueServiceClient(options.QueueServiceUri ?? AccountEndpoint(options, QueueService), Credential(options), clientOptions)
            : new QueueServiceClient(ConnectionString(options), clientOptions);
    }

    private static void Configure(ClientOptions clientOptions, AzureStorageStoreOptions options, StorageRequestCountingPolicy counter)
    {
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        clientOptions.AddPolicy(StorageAdmission.Policy, HttpPipelinePosition.PerRetry);
    }

    private static TokenCredential Credential(AzureStorageStoreOptions options) =>
        options.Credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ClientId });

    private static string ConnectionString(AzureStorageStoreOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException(
                $"No storage account configured: set '{AzureStorageStoreOptions.ConfigurationKey}' to a connection string, or '{AzureStorageStoreOptions.ConfigurationKey}:accountName' for identity-based access.")
            : options.ConnectionString;

    private static Uri AccountEndpoint(AzureStorageStoreOptions options, string service) =>
        options.AccountName is { Length: > 0 } account
            ? new Uri($"https://{account}.{service}.core.windows.net")
            : throw new InvalidOperationException(
                $"Identity-based storage needs '{AzureStorageStoreOptions.ConfigurationKey}:accountName', or both '{AzureStorageStoreOptions.ConfigurationKey}:tableServiceUri' and '{AzureStorageStoreOptions.ConfigurationKey}:queueServiceUri'; the {service} endpoint is missing.");
}
