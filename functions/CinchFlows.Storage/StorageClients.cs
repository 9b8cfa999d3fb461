using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;

namespace CinchFlows.Storage;

/// <summary>
/// Table and queue service clients for the app's storage account (<c>AzureWebJobsStorage</c>), configured one way for
/// everything the app itself stores: callback tasks, webhook receipts, acknowledgements, storage-queue notifications.
/// </summary>
public static class StorageClients
{
    /// <summary>A table service client: connection string, or identity-based settings; its requests counted under <paramref name="component"/>.</summary>
    public static TableServiceClient CreateTableServiceClient(StorageAccountOptions options, StorageRequestCounter? counter = null, string component = "app")
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions();
        Configure(clientOptions, options, counter, component);
        return options.UsesIdentity
            ? new TableServiceClient(options.TableServiceUri ?? AccountEndpoint(options, "table"), Credential(options), clientOptions)
            : new TableServiceClient(ConnectionString(options), clientOptions);
    }

    /// <summary>A queue service client whose messages the caller encodes itself (Base64 on the wire, as the Functions queue trigger expects).</summary>
    public static QueueServiceClient CreateQueueServiceClient(StorageAccountOptions options, StorageRequestCounter? counter = null, string component = "app")
    {
        ArgumentNullException.ThrowIfNull(options);

        // The SDK's own Base64 decoder throws on a body that is not Base64, and one such message would then fail every receive.
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        Configure(clientOptions, options, counter, component);
        return options.UsesIdentity
            ? new QueueServiceClient(options.QueueServiceUri ?? AccountEndpoint(options, "queue"), Credential(options), clientOptions)
            : new QueueServiceClient(ConnectionString(options), clientOptions);
    }

    /// <summary>The credential for identity-based access: the configured one, else a <c>DefaultAzureCredential</c> honouring the client id.</summary>
    public static TokenCredential Credential(StorageAccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ClientId });
    }

    /// <summary>The connection string, or a clear error when none is configured.</summary>
    public static string ConnectionString(StorageAccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException(
                $"No storage account configured: set '{StorageAccountOptions.ConfigurationKey}' to a connection string, or '{StorageAccountOptions.ConfigurationKey}:accountName' for identity-based access.")
            : options.ConnectionString;
    }

    /// <summary>The endpoint of one service (<c>table</c>, <c>queue</c>, <c>blob</c>) of the named account.</summary>
    public static Uri AccountEndpoint(StorageAccountOptions options, string service)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AccountName is { Length: > 0 } account
            ? new Uri($"https://{account}.{service}.core.windows.net")
            : throw new InvalidOperationException(
                $"Identity-based storage needs '{StorageAccountOptions.ConfigurationKey}:accountName', or '{StorageAccountOptions.ConfigurationKey}:{service}ServiceUri'; the {service} endpoint is missing.");
    }

    /// <summary>Applies the account's retry settings to <paramref name="clientOptions"/> and counts its requests under <paramref name="component"/>.</summary>
    public static void Configure(ClientOptions clientOptions, StorageAccountOptions options, StorageRequestCounter? counter, string component)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(options);
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        if (counter is not null)
        {
            clientOptions.AddPolicy(new StorageRequestCountingPolicy(counter, component), HttpPipelinePosition.PerRetry);
        }
    }
}
