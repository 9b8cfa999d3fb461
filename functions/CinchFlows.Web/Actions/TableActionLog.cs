using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Web.Actions;

/// <summary>
/// The action log in <c>{TaskHubName}Actions</c>: PartitionKey = the flow's instance id, RowKey = the action's time in
/// ticks (19 digits, so rows sort oldest first) and a random suffix, so two actions in the same tick never collide.
/// A flow's list is one partition query. The retention sweep deletes a flow's rows older than <c>Retention:MaxAge</c>
/// once the flow is gone (<see cref="FlowsWithRowsBeforeAsync"/>, <see cref="DeleteBeforeAsync"/>).
/// </summary>
internal sealed class TableActionLog(AppStorage storage) : IActionLog, IDisposable
{
    private readonly LazyTable lazyTable = storage.Table("Actions", "actions");

    /// <summary>The table's name.</summary>
    public string TableName => lazyTable.Name;

    /// <summary>The row key of an action at <paramref name="time"/>: ascending ticks, '-', 8 random hex digits.</summary>
    public static string RowKeyFor(DateTimeOffset time) =>
        time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    // Row keys below this were recorded before the time; one recorded at that very tick (its ticks, '-', suffix) sorts after it.
    private static string Bound(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public async Task RecordAsync(string instanceId, FlowAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(
            new TableEntity(instanceId, RowKeyFor(action.Time))
            {
                ["Time"] = action.Time,
                ["Action"] = action.Action,
                ["By"] = action.By,
                ["Role"] = action.Role,
                ["Outcome"] = action.Outcome,
                ["Reason"] = action.Reason,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FlowAction>> ListAsync(string instanceId, int max, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<FlowAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(new FlowAction(
                row.GetDateTimeOffset("Time") ?? default,
                row.GetString("Action") ?? string.Empty,
                row.GetString("By") ?? string.Empty,
                row.GetString("Role") ?? string.Empty,
                row.GetInt32("Outcome") ?? 0,
                row.GetString("Reason")));
            if (found.Count == max)
            {
                break;
            }
        }

        // Rows come in RowKey order, which is time order.
        return found;
    }

    /// <summary>The instance ids with rows recorded before <paramref name="before"/>, each once (keys only, but a query across partitions).</summary>
    public async IAsyncEnumerable<string> FlowsWithRowsBeforeAsync(DateTimeOffset before, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"RowKey lt {Bound(before)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false))
        {
            if (seen.Add(row.PartitionKey))
            {
                yield return row.PartitionKey;
            }
        }
    }

    /// <summary>
    /// Deletes at most <paramref name="max"/> of <paramref name="instanceId"/>'s rows recorded before <paramref name="before"/>
    /// and answers how many went: one partition query, deletes in batches of up to 100 (a batch never spans partitions).
    /// </summary>
    public async Task<int> DeleteBeforeAsync(string instanceId, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var rowKeys = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey lt {Bound(before)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false))
        {
            rowKeys.Add(row.RowKey);
            if (rowKeys.Count >= max)
            {
                break;
            }
        }

        var deleted = 0;
        foreach (var batch in rowKeys.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(
                    batch.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(instanceId, rowKey), ETag.All)),
                    cancellationToken).ConfigureAwait(false);
                deleted += batch.Length;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
            {
                // Another host's sweep took some first (the batch failed whole): the rest one by one.
                foreach (var rowKey in batch)
                {
                    var response = await table.DeleteEntityAsync(instanceId, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                    deleted += response.Status == StatusCodes.Status404NotFound ? 0 : 1;
                }
            }
        }

        return deleted;
    }

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();
}
