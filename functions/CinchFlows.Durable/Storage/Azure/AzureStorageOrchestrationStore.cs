using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>
/// The production store: instances and their histories in one Azure table (one partition per instance, so a step
/// commits in one entity-group transaction), work on an Azure Storage queue, failed work on its poison queue.
/// </summary>
/// <remarks>
/// Table <c>{TaskHubName}Instances</c>: row "state" holds the instance's status, outbox and payloads; rows
/// "h-00000000"… hold the history, one chunk per committed step. Queues <c>{TaskHubName}-work</c> and
/// <c>{TaskHubName}-poison</c> carry Base64 bodies, as the Azure Functions queue trigger expects.
/// </remarks>
public sealed partial class AzureStorageOrchestrationStore : IOrchestrationStore
{

    private readonly TableClient table;
    private readonly QueueClient workQueue;
    private readonly QueueClient poisonQueue;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly TimeSpan healthCheckTimeout;
    private readonly Lock initializationGate = new();
    private Task? initialization;

    /// <summary>Creates the store; nothing is sent to storage until the first call.</summary>
    public AzureStorageOrchestrationStore(
        IOptions<AzureStorageStoreOptions> storeOptions,
        IOptions<DurableTaskOptions> durableOptions,
        TimeProvider timeProvider,
        DurableMetrics metrics,
        ILogger<AzureStorageOrchestrationStore> logger)
    {
        ArgumentNullException.ThrowIfNull(storeOptions);
        ArgumentNullException.ThrowIfNull(durableOptions);
        ArgumentNullException.ThrowIfNull(metrics);
        var options = storeOptions.Value;
        var taskHub = durableOptions.Value.TaskHubName;
        this.timeProvider = timeProvider;
        this.logger = logger;
        healthCheckTimeout = options.HealthCheckTimeout;
        TableName = taskHub + "Instances";
        WorkQueueName = taskHub + "-work";
        PoisonQueueName = taskHub + "-poison";

        var tableService = AzureStorageClients.CreateTableServiceClient(options, metrics);

        // Bodies are Base64 on the wire, as the Functions queue trigger expects, but encoded here rather than by the SDK:
        // its decoder throws on a body that is not Base64, and one such message would then fail every receive.
        var queueService = AzureStorageClients.CreateQueueServiceClient(options, metrics);
        table = tableService.GetTableClient(TableName);
        workQueue = queueService.GetQueueClient(WorkQueueName);
        poisonQueue = queueService.GetQueueClient(PoisonQueueName);
    }

    /// <summary>Name of the instances table.</summary>
    public string TableName { get; }

    /// <summary>Name of the work queue.</summary>
    public string WorkQueueName { get; }

    /// <summary>Name of the poison queue.</summary>
    public string PoisonQueueName { get; }

    /// <summary>Where the instances table is (for tests and diagnostics).</summary>
    internal Uri TableUri => table.Uri;

    /// <summary>Where the work queue is (for tests and diagnostics).</summary>
    internal Uri WorkQueueUri => workQueue.Uri;

    /// <inheritdoc/>
    /// <remarks>Six days: Azure caps a message's visibility delay at seven.</remarks>
    public TimeSpan MaxVisibilityDelay => TimeSpan.FromDays(6);

    /// <inheritdoc/>
    /// <remarks>Runs once per store (again only after a failure); every other call also makes sure it ran.</remarks>
    public Task InitializeAsync(CancellationToken cancellationToken) => EnsureInitializedAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>One point read of a row that cannot exist, so it also proves the table is there.</remarks>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(healthCheckTimeout);
        try
        {
            // '!' is not allowed in instance ids, so this row never exists. A point read costs the same wherever the table
            // grows; a query would not on Azurite, which scans every row of the table for each query.
            await table.GetEntityAsync<TableEntity>("!health", "!health", ["PartitionKey"], timeout.Token).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != TableErrorCode.TableNotFound)
        {
            // The row is not there, as expected: storage answered.
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Azure Table storage at {table.Uri} did not answer within {healthCheckTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.TableNotFound)
        {
            throw new InvalidOperationException($"Azure Table storage at {table.Uri} answers, but table '{TableName}' does not exist (the store was not initialized).", ex);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or AuthenticationFailedException)
        {
            throw new InvalidOperationException($"Azure Table storage at {table.Uri} failed the health check: {Describe(ex)}", ex);
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } failed => failed.InnerException?.Message ?? FirstLine(failed.Message),
        RequestFailedException failed => $"{failed.Status} {failed.ErrorCode}: {FirstLine(failed.Message)}",
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Describe).Distinct(StringComparer.Ordinal)),
        _ => FirstLine(exception.Message),
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static bool IsForbidden(RequestFailedException exception) => exception.Status == 403;

    private Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        var current = initialization;
        if (current is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (initializationGate)
        {
            if (initialization is null || initialization.IsFaulted || initialization.IsCanceled)
            {
                // Shared by all callers, so it does not take any one caller's token; the client timeouts bound it.
                initialization = CreateResourcesAsync();
            }

            current = initialization;
        }

        return current.WaitAsync(cancellationToken);
    }

    private async Task CreateResourcesAsync()
    {
        await Task.WhenAll(
            CreateIfMissingAsync($"table '{TableName}'", () => table.CreateIfNotExistsAsync()),
            CreateIfMissingAsync($"queue '{WorkQueueName}'", () => workQueue.CreateIfNotExistsAsync()),
            CreateIfMissingAsync($"queue '{PoisonQueueName}'", () => poisonQueue.CreateIfNotExistsAsync())).ConfigureAwait(false);
        AzureStorageLog.Initialized(logger, TableName, WorkQueueName, PoisonQueueName, table.Uri, workQueue.Uri);
    }

    private async Task CreateIfMissingAsync(string resource, Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsForbidden(ex))
        {
            // A managed identity with data-plane roles only may not create; the infrastructure does that in Azure.
            AzureStorageLog.CreateNotPermitted(logger, resource, ex.ErrorCode);
        }
    }
}
