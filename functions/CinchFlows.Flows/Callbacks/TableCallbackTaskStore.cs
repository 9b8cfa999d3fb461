using Azure;
using Azure.Data.Tables;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Storage;

namespace CinchFlows.Flows.Callbacks;

/// <summary>
/// Callback tasks in the Azure Table <c>{TaskHubName}Callbacks</c> on the app's storage account: one row per task in its
/// own partition, replaced under its ETag. The board's list is a filtered scan: it stays cheap while finished tasks are
/// few; purge old ones with their flows.
/// </summary>
public sealed class TableCallbackTaskStore : ICallbackTaskStore, IDisposable
{
    private const string RowKey = "task";
    private readonly LazyTable lazyTable;

    /// <summary>Creates the store on the app's storage account (the host registers <see cref="AppStorage"/>).</summary>
    public TableCallbackTaskStore(AppStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        lazyTable = storage.Table("Callbacks", "callback-tasks");
        TableName = lazyTable.Name;
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();

    /// <inheritdoc/>
    public async Task<StoredCallbackTask> AddOrGetAsync(CallbackTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(task), cancellationToken).ConfigureAwait(false);
            return new StoredCallbackTask(task, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await GetAsync(task.CallbackId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Callback {task.CallbackId} exists and vanished while being read.", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<StoredCallbackTask?> GetAsync(string callbackId, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(callbackId, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? new StoredCallbackTask(FromEntity(entity), entity.ETag.ToString()) : null;
    }

    /// <inheritdoc/>
    public async Task<bool> TryReplaceAsync(CallbackTask task, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(ToEntity(task), new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CallbackTask>> ListAsync(CallbackStatus? status, int max, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = status is { } s ? TableClient.CreateQueryFilter($"Status eq {s.ToString()}") : null;
        var tasks = new List<CallbackTask>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            tasks.Add(FromEntity(entity));
        }

        return tasks.OrderBy(t => t.CreatedTime).ThenBy(t => t.CallbackId, StringComparer.Ordinal).Take(max).ToList();
    }

    private static TableEntity ToEntity(CallbackTask task) => new(task.CallbackId, RowKey)
    {
        ["CallId"] = task.CallId,
        ["CustomerId"] = task.CustomerId,
        ["Status"] = task.Status.ToString(),
        ["ClaimedBy"] = task.ClaimedBy,
        ["CreatedTime"] = task.CreatedTime,
        ["DueTime"] = task.DueTime,
        ["FlowId"] = task.FlowId,
        ["Priority"] = task.Priority.ToString(),
        ["Reason"] = task.Reason.ToString(),
        ["Tier"] = task.Tier,
        ["ClaimedTime"] = task.ClaimedTime,
        ["CompletedTime"] = task.CompletedTime,
        ["Outcome"] = task.Outcome,
    };

    private static CallbackTask FromEntity(TableEntity entity) => new()
    {
        CallbackId = entity.PartitionKey,
        CallId = entity.GetString("CallId"),
        CustomerId = entity.GetString("CustomerId") ?? string.Empty,
        Status = Enum.Parse<CallbackStatus>(entity.GetString("Status") ?? nameof(CallbackStatus.Open)),
        ClaimedBy = entity.GetString("ClaimedBy"),
        CreatedTime = entity.GetDateTimeOffset("CreatedTime") ?? default,
        DueTime = entity.GetDateTimeOffset("DueTime") ?? default,
        FlowId = entity.GetString("FlowId") ?? entity.PartitionKey,
        Priority = Enum.TryParse<CallbackPriority>(entity.GetString("Priority"), out var priority) ? priority : CallbackPriority.Normal,
        Reason = Enum.TryParse<CallbackReason>(entity.GetString("Reason"), out var reason) ? reason : CallbackReason.SupervisorRequested,
        Tier = entity.GetString("Tier"),
        ClaimedTime = entity.GetDateTimeOffset("ClaimedTime"),
        CompletedTime = entity.GetDateTimeOffset("CompletedTime"),
        Outcome = entity.GetString("Outcome"),
    };
}
