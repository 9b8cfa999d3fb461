using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage.Azure;

/// <summary>The instances table: load, commit, list, purge and sweep.</summary>
public sealed partial class AzureStorageOrchestrationStore
{
    // Azure returns at most 1000 entities per query response.
    private const int MaxPageSize = 1000;

    // Entity-group transactions take at most 100 operations.
    private const int MaxBatchSize = 100;

    /// <inheritdoc/>
    /// <remarks>One query over the instance's partition returns the status row and every history chunk.</remarks>
    public async Task<InstanceSnapshot?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        TableEntity? state = null;
        var chunks = new Dictionary<int, TableEntity>();
        var rows = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), MaxPageSize, cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            if (row.RowKey == InstanceEntities.StateRowKey)
            {
                state = row;
            }
            else if (InstanceEntities.ChunkIndex(row) is { } index)
            {
                chunks[index] = row;
            }
        }

        if (state is null)
        {
            return null;
        }

        var record = InstanceEntities.ToRecord(state);
        var history = new List<HistoryEvent>(record.HistoryEventCount);
        for (var index = 0; index < record.HistoryChunks; index++)
        {
            // Chunks past HistoryChunks cannot be written (they commit with the row); a gap means a purge is under way.
            history.AddRange(chunks.TryGetValue(index, out var chunk)
                ? InstanceEntities.ToEvents(chunk)
                : throw new InvalidOperationException($"History of instance '{instanceId}' is incomplete: chunk {index} of {record.HistoryChunks} is missing."));
        }

        var etag = state.ETag.ToString();
        return new InstanceSnapshot(record, history, etag.ToString());
    }

    /// <inheritdoc/>
    public async Task<InstanceRecord?> GetRecordAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, InstanceEntities.StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? InstanceEntities.ToRecord(response.Value!) : null;
    }

    /// <inheritdoc/>
    /// <remarks>One entity-group transaction: the status row (replace if unchanged, or add) and the new history chunk.</remarks>
    public async Task<CommitOutcome> CommitAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var record = commit.Record;
        var state = InstanceEntities.ToStateEntity(record);
        List<TableTransactionAction> actions =
        [
            commit.ExpectedETag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, state)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, new ETag(commit.ExpectedETag)),
        ];
        var chunkIndex = record.HistoryChunks - 1;
        if (commit.NewEvents.Count > 0)
        {
            if (chunkIndex < 0)
            {
                throw new InvalidOperationException($"History chunk {chunkIndex} of '{record.InstanceId}' is out of sequence: HistoryChunks must count the new chunk.");
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, InstanceEntities.ToChunkEntity(record.InstanceId, chunkIndex, commit.NewEvents)));
        }

        EnsureOnePartition(actions);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);

            // Each operation of a transaction answers with its entity's new ETag; no read-back is needed.
            var etag = response.Value[0].Headers.ETag?.ToString()
                ?? throw new InvalidOperationException($"Storage committed instance '{record.InstanceId}' but returned no ETag for its status row.");
            return new CommitOutcome(etag);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && (ex as TableTransactionFailedException)?.FailedTransactionActionIndex == 1)
        {
            // The row matched but the chunk exists: the caller's chunk count is wrong, which no retry can fix.
            throw new InvalidOperationException($"History chunk {chunkIndex} of '{record.InstanceId}' is out of sequence: that chunk already exists.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412 && ex.ErrorCode != TableErrorCode.TableNotFound)
        {
            AzureStorageLog.CommitConflict(logger, record.InstanceId, ex.Status, ex.ErrorCode);
            return CommitOutcome.Conflict;
        }
    }

    /// <inheritdoc/>
    /// <remarks>One replace of the status row, guarded by the ETag.</remarks>
    public async Task<string?> RemoveFromOutboxAsync(InstanceRecord current, string etag, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(etag);
        ArgumentNullException.ThrowIfNull(messageIds);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var dispatched = messageIds.ToHashSet(StringComparer.Ordinal);
        var updated = current with { Outbox = [.. current.Outbox.Where(m => !dispatched.Contains(m.Id))] };
        try
        {
            var response = await table.UpdateEntityAsync(InstanceEntities.ToStateEntity(updated), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString()
                ?? throw new InvalidOperationException($"Storage updated instance '{current.InstanceId}' but returned no ETag.");
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            AzureStorageLog.OutboxConflict(logger, current.InstanceId);
            return null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Instances come in id order. The token is the id of the next instance, as in the in-memory store, so pages are
    /// always full until the last one and the last one has no token. A page may take more than one request when the
    /// service returns short pages (it does at partition-range boundaries and after 5 s of scanning).
    /// </remarks>
    public async Task<InstancePage> QueryAsync(InstanceQuery query, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var filter = InstanceFilter(query, continuationToken);
        var select = query.FetchInputsAndOutputs ? null : InstanceEntities.SummaryColumns;

        // One more than a page tells whether there is a next page, and where it starts.
        var wanted = query.PageSize + 1;
        var found = new List<InstanceRecord>(Math.Min(wanted, MaxPageSize));
        string? serverToken = null;
        do
        {
            var pageSize = Math.Min(wanted - found.Count, MaxPageSize);
            var pages = table.QueryAsync<TableEntity>(filter, pageSize, select, cancellationToken).AsPages(serverToken, pageSize);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                found.AddRange(page.Values.Select(InstanceEntities.ToRecord));
                serverToken = page.ContinuationToken;
                break;
            }
        }
        while (found.Count < wanted && serverToken is not null);

        var next = found.Count > query.PageSize ? found[query.PageSize].InstanceId : null;
        return new InstancePage([.. found.Take(query.PageSize)], next);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One query for the partition's keys, then deletes in transactions of up to 100 rows, the status row in the last
    /// one: a partly purged instance stays visible (and cannot be created anew over leftover chunks) until it is gone.
    /// </remarks>
    public async Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // A concurrent purge makes a batch fail with 404; look again and delete what is left.
        for (var attempt = 0; ; attempt++)
        {
            var keys = new List<string>();
            var rows = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), MaxPageSize, ["PartitionKey", "RowKey"], cancellationToken);
            await foreach (var row in rows.ConfigureAwait(false))
            {
                keys.Add(row.RowKey);
            }

            if (keys.Count == 0)
            {
                return 0;
            }

            var ordered = keys.Where(k => k != InstanceEntities.StateRowKey).Concat(keys.Where(k => k == InstanceEntities.StateRowKey)).ToList();
            try
            {
                foreach (var batch in ordered.Chunk(MaxBatchSize))
                {
                    var actions = batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(instanceId, k), ETag.All)).ToList();
                    await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                }

                return keys.Contains(InstanceEntities.StateRowKey) ? 1 : 0;
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != TableErrorCode.TableNotFound && attempt < 2)
            {
                // Someone else deleted some of these rows; the next round sees what remains.
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One filtered query over the status rows (every page of it). Finished instances count for their outbox (a child's
    /// last step may owe its parent a message), only running ones for their timers.
    /// </remarks>
    public async Task<IReadOnlyList<InstanceRecord>> FindSweepCandidatesAsync(DateTimeOffset outboxOlderThan, DateTimeOffset timerDueBefore, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {InstanceEntities.StateRowKey} and ((OutboxCount gt 0 and LastUpdatedTime lt {outboxOlderThan.ToUniversalTime()}) or (IsTerminal eq false and NextTimerAt lt {timerDueBefore.ToUniversalTime()}))");
        var found = new List<InstanceRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, MaxPageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(InstanceEntities.ToRecord(row));
        }

        return found;
    }

    private static string InstanceFilter(InstanceQuery query, string? continuationToken)
    {
        var clauses = new List<string> { TableClient.CreateQueryFilter($"RowKey eq {InstanceEntities.StateRowKey}") };
        if (continuationToken is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"PartitionKey ge {continuationToken}"));
        }

        if (query.InstanceIdPrefix is { Length: > 0 } prefix)
        {
            // Every id that starts with the prefix sorts between the prefix and the prefix with its last character raised.
            var upper = prefix[..^1] + (char)(prefix[^1] + 1);
            clauses.Add(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {upper}"));
        }

        if (query.RuntimeStatus is { Count: > 0 } statuses)
        {
            clauses.Add("(" + string.Join(" or ", statuses.Distinct().Select(s => TableClient.CreateQueryFilter($"RuntimeStatus eq {s.ToString()}"))) + ")");
        }

        if (query.CreatedFrom is { } from)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CreatedTime ge {from.ToUniversalTime()}"));
        }

        if (query.CreatedTo is { } to)
        {
            clauses.Add(TableClient.CreateQueryFilter($"CreatedTime le {to.ToUniversalTime()}"));
        }

        return string.Join(" and ", clauses);
    }

    private static void EnsureOnePartition(List<TableTransactionAction> actions)
    {
        // Azurite accepts a batch over several partitions; Azure rejects it. Fail the same way everywhere.
        var partition = actions[0].Entity.PartitionKey;
        if (actions.Any(a => a.Entity.PartitionKey != partition))
        {
            throw new InvalidOperationException($"An entity-group transaction must stay in one partition ('{partition}').");
        }
    }
}
