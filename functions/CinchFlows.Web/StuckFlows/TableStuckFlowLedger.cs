using Azure.Data.Tables;
using CinchFlows.Storage;

namespace CinchFlows.Web.StuckFlows;

/// <summary>
/// The ledger in <c>{TaskHubName}StuckFlows</c>: partition = instance id (every read and write is a point operation on
/// one flow's partition), row <c>found-{kind}</c> per reason found, row <c>repair</c> for the repair. A second check
/// that finds the flow's row knows ops were told already.
/// </summary>
internal sealed class TableStuckFlowLedger(AppStorage storage) : IStuckFlowLedger, IDisposable
{
    private const string RepairRow = "repair";
    private readonly LazyTable lazyTable = storage.Table("StuckFlows", "stuck-flows");

    /// <inheritdoc/>
    public async Task<bool> WasToldAsync(StuckFlowFinding finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(finding.InstanceId, FoundRow(finding), select: ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    /// <inheritdoc/>
    public async Task RecordToldAsync(StuckFlowFinding finding, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(finding.InstanceId, FoundRow(finding)) { ["ToldTime"] = at, ["RuntimeStatus"] = finding.RuntimeStatus },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task RecordRepairAsync(string instanceId, string by, string to, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(instanceId, RepairRow) { ["By"] = by, ["RepairedTime"] = at, ["To"] = to },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<(string By, DateTimeOffset At, string To)?> RepairOfAsync(string instanceId, CancellationToken cancellationToken)
    {
        var table = await lazyTable.GetAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, RepairRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } repair
            ? (repair.GetString("By") ?? "unknown", repair.GetDateTimeOffset("RepairedTime") ?? DateTimeOffset.MinValue, repair.GetString("To") ?? "unknown")
            : null;
    }

    /// <inheritdoc/>
    public void Dispose() => lazyTable.Dispose();

    private static string FoundRow(StuckFlowFinding finding) => "found-" + finding.Kind;
}
