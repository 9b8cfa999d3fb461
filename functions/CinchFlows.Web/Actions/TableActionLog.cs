using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Web.Actions;

/// <summary>
/// The action log in <c>{TaskHubName}Actions</c>: PartitionKey = the flow's instance id, RowKey = the action's time in
/// ticks (19 digits, so rows sort oldest first) and a random suffix, so two actions in the same tick never collide.
/// A flow's list is one partition query. The retention sweep deletes rows older than <c>Retention:MaxAge</c>.
/// </summary>
internal sealed class TableActionLog(AppStorage storage) : IActionLog, IDisposable
{
    private readonly LazyTable lazyTable = storage.Table("Actions", "actions");

    /// <summary>The table's name.</summary>
    public string TableName => lazyTable.Name;

    /// <summary>The row key of an action at <paramref name="time"/>: ascending ticks, '-', 8 random hex digits.</summary>
    public static string RowKeyFor(DateTimeOffset time) =>
        time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

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

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();
}
