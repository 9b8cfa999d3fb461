using System.Collections.Concurrent;

namespace CinchFlows.Web.StuckFlows;

/// <summary>The ledger for the in-memory engine (development and tests): gone with the process, as the flows are.</summary>
internal sealed class InMemoryStuckFlowLedger : IStuckFlowLedger
{
    private readonly ConcurrentDictionary<string, byte> found = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string By, DateTimeOffset At, string To)> repairs = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<bool> WasToldAsync(StuckFlowFinding finding, CancellationToken cancellationToken) =>
        Task.FromResult(found.ContainsKey(Key(finding)));

    /// <inheritdoc/>
    public Task RecordToldAsync(StuckFlowFinding finding, DateTimeOffset at, CancellationToken cancellationToken)
    {
        found[Key(finding)] = 0;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RecordRepairAsync(string instanceId, string by, string to, DateTimeOffset at, CancellationToken cancellationToken)
    {
        repairs[instanceId] = (by, at, to);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<(string By, DateTimeOffset At, string To)?> RepairOfAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(repairs.TryGetValue(instanceId, out var repair) ? repair : ((string, DateTimeOffset, string)?)null);

    private static string Key(StuckFlowFinding finding) => finding.InstanceId + "|" + finding.Kind;
}
