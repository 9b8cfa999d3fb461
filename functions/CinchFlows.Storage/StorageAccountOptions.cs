using Azure.Core;
using Microsoft.Extensions.Configuration;

namespace CinchFlows.Storage;

/// <summary>
/// How the app reaches its storage account, read the Azure Functions way from <c>AzureWebJobsStorage</c>: a connection
/// string, or identity-based settings (<c>accountName</c>, or <c>tableServiceUri</c>, <c>queueServiceUri</c> and
/// <c>blobServiceUri</c>). The engine's backend, callback tasks, webhook receipts and local notifications all use it.
/// </summary>
public sealed class StorageAccountOptions
{
    /// <summary>The configuration key (or section) the Functions host uses for its storage account.</summary>
    public const string ConfigurationKey = "AzureWebJobsStorage";

    /// <summary>A storage connection string; used when no identity-based setting is given. Default is "UseDevelopmentStorage=true" (Azurite).</summary>
    public string? ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Account name for identity-based access (endpoints https://{name}.table|queue.core.windows.net). Default is null.</summary>
    public string? AccountName { get; set; }

    /// <summary>Table service endpoint for identity-based access; wins over <see cref="AccountName"/>. Default is null.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Queue service endpoint for identity-based access; wins over <see cref="AccountName"/>. Default is null.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Blob service endpoint for identity-based access (the engine keeps its partition leases and large messages there); wins over <see cref="AccountName"/>. Default is null.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity, for identity-based access. Default is null (system-assigned or developer credentials).</summary>
    public string? ClientId { get; set; }

    /// <summary>The credential for identity-based access. Default is null: a <c>DefaultAzureCredential</c> honouring <see cref="ClientId"/>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Retries of one failed storage request. Default is 2, so an outage surfaces in seconds.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First delay between retries (it grows exponentially). Default is 200 milliseconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one HTTP attempt may take. Default is 10 seconds.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when identity-based settings are given (they win over <see cref="ConnectionString"/>).</summary>
    public bool UsesIdentity => AccountName is { Length: > 0 } || TableServiceUri is not null || QueueServiceUri is not null || BlobServiceUri is not null;

    /// <summary>
    /// Reads <c>AzureWebJobsStorage</c> from configuration: a plain value is a connection string; a section gives
    /// <c>accountName</c>, <c>tableServiceUri</c>, <c>queueServiceUri</c>, <c>blobServiceUri</c> and <c>clientId</c>. Missing keys keep the current values.
    /// </summary>
    public void ReadConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ConfigurationKey);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            ConnectionString = section.Value;
            return;
        }

        AccountName = NonEmpty(section["accountName"]) ?? AccountName;
        TableServiceUri = ParseUri(section, "tableServiceUri") ?? TableServiceUri;
        QueueServiceUri = ParseUri(section, "queueServiceUri") ?? QueueServiceUri;
        BlobServiceUri = ParseUri(section, "blobServiceUri") ?? BlobServiceUri;
        ClientId = NonEmpty(section["clientId"]) ?? ClientId;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri? ParseUri(IConfigurationSection section, string key)
    {
        var value = NonEmpty(section[key]);
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Configuration '{ConfigurationKey}:{key}' is not an absolute URI: '{value}'.");
    }
}
