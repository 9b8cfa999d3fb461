namespace CinchFlows.Web.StuckFlows;

/// <summary>
/// What the stuck-flow check has told ops already, and who repaired what: a row per flow in
/// <c>{TaskHubName}StuckFlows</c> (in memory when the engine is), so one stuck flow raises one alert, not one per check.
/// </summary>
internal interface IStuckFlowLedger
{
    /// <summary>True when ops were told already that this flow is stuck for this reason.</summary>
    Task<bool> WasToldAsync(StuckFlowFinding finding, CancellationToken cancellationToken);

    /// <summary>Records that ops were told (after the alert went out, so a failed send is tried again by the next check).</summary>
    Task RecordToldAsync(StuckFlowFinding finding, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records who repaired the flow, when, and what its row says now.</summary>
    Task RecordRepairAsync(string instanceId, string by, string to, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Who repaired the flow and when, or null when nobody did.</summary>
    Task<(string By, DateTimeOffset At, string To)?> RepairOfAsync(string instanceId, CancellationToken cancellationToken);
}
