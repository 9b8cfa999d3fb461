using Azure;
using Azure.Data.Tables;
using CinchFlows.Flows;
using CinchFlows.Storage;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Management;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Retention;

/// <summary>
/// Deletes finished work older than <see cref="RetentionOptions.MaxAge"/>: finished flows (through the management API's
/// purge, which refuses a running one), rows of the app's tables <c>{TaskHubName}WebhookReceipts</c>,
/// <c>{TaskHubName}Callbacks</c> (completed tasks only) and <c>{TaskHubName}Hints</c>, by their last change
/// (<c>Timestamp</c>), and the action log's rows of flows that are gone (<see cref="DeleteActionsAsync"/>).
/// The standalone host runs it on a timer of its own, the Functions app from a timer trigger.
/// </summary>
/// <param name="client">The Durable Task client of the host.</param>
/// <param name="instances">The management API's instances (the purge it does).</param>
/// <param name="options">How old is too old.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="logger">Where the counts go.</param>
/// <param name="storage">The app's tables; null when they live in memory (nothing to sweep there).</param>
internal sealed class RetentionSweeper(
    DurableTaskClient client,
    ManagedInstances instances,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionSweeper> logger,
    AppStorage? storage)
{
    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>One sweep; null when switched off.</summary>
    public async Task<RetentionReport?> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.Disabled();
            return null;
        }

        var cutoff = timeProvider.GetUtcNow() - settings.MaxAge;
        var flows = await PurgeFlowsAsync(cutoff, settings.MaxPerSweep, cancellationToken).ConfigureAwait(false);
        int receipts = 0, callbacks = 0, hints = 0, actions = 0;
        if (storage is not null)
        {
            receipts = await DeleteRowsAsync(storage.Table("WebhookReceipts", "webhook-receipts"), cutoff, null, settings.MaxPerSweep, cancellationToken).ConfigureAwait(false);
            callbacks = await DeleteRowsAsync(storage.Table("Callbacks", "callback-tasks"), cutoff, "Status eq 'Completed'", settings.MaxPerSweep, cancellationToken).ConfigureAwait(false);
            hints = await DeleteRowsAsync(storage.Table("Hints", "hints"), cutoff, null, settings.MaxPerSweep, cancellationToken).ConfigureAwait(false);
            actions = await DeleteActionsAsync(storage, cutoff, settings.MaxPerSweep, cancellationToken).ConfigureAwait(false);
        }

        var report = new RetentionReport(cutoff, flows, receipts, callbacks, hints, actions);
        logger.Swept(cutoff, flows, receipts, callbacks, hints, actions);
        return report;
    }

    private async Task<int> PurgeFlowsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        // A flow created after the cutoff cannot have finished before it; the rest are checked by their last update.
        var query = new OrchestrationQuery { CreatedTo = cutoff, Statuses = Finished, PageSize = 100, FetchInputsAndOutputs = false };
        var due = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (instance.LastUpdatedAt <= cutoff && FlowStatuses.IsFinished(instance.RuntimeStatus))
            {
                due.Add(instance.InstanceId);
                if (due.Count >= max)
                {
                    break;
                }
            }
        }

        var purged = 0;
        foreach (var instanceId in due)
        {
            try
            {
                purged += await instances.PurgeAsync(instanceId, cancellationToken).ConfigureAwait(false);
            }
            catch (InstanceStillRunningException)
            {
                // Restarted since the query (a new flow under the same id): not due.
            }
        }

        return purged;
    }

    /// <summary>
    /// Deletes action-log rows older than <paramref name="cutoff"/> of flows that no longer exist. A flow's audit trail
    /// outlives it: its rows stay as long as a flow under its id exists, however long it runs, and a purge (this sweep's
    /// or one by hand through the management API) erases nothing of it, not even the record of who purged it; the rows
    /// go once the flow is gone and they are past <see cref="RetentionOptions.MaxAge"/>.
    /// </summary>
    private async Task<int> DeleteActionsAsync(AppStorage tables, DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        using var actions = new TableActionLog(tables);

        // Which flows have old rows needs a query across partitions (keys only); the engine is asked once per flow, and
        // a flow still there is skipped rather than counted, so long-running flows never hold the gone ones back.
        var gone = new List<string>();
        await foreach (var instanceId in actions.FlowsWithRowsBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false))
        {
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is null)
            {
                gone.Add(instanceId);
                if (gone.Count >= max)
                {
                    break;
                }
            }
        }

        var deleted = 0;
        foreach (var instanceId in gone)
        {
            if (deleted >= max)
            {
                break;
            }

            // One partition query and batches within the partition.
            deleted += await actions.DeleteBeforeAsync(instanceId, cutoff, max - deleted, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private static async Task<int> DeleteRowsAsync(LazyTable lazyTable, DateTimeOffset cutoff, string? extraFilter, int max, CancellationToken cancellationToken)
    {
        using (lazyTable)
        {
            var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
            var filter = TableClient.CreateQueryFilter($"Timestamp lt {cutoff}");
            if (extraFilter is not null)
            {
                filter = $"({filter}) and ({extraFilter})";
            }

            var due = new List<(string PartitionKey, string RowKey)>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false))
            {
                due.Add((row.PartitionKey, row.RowKey));
                if (due.Count >= max)
                {
                    break;
                }
            }

            var deleted = 0;
            foreach (var (partitionKey, rowKey) in due)
            {
                try
                {
                    await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Another instance's sweep took it first.
                }
            }

            return deleted;
        }
    }
}
