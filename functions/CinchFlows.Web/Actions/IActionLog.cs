namespace CinchFlows.Web.Actions;

/// <summary>
/// Who did what to a flow: a row per action in <c>{TaskHubName}Actions</c> (in memory when the engine is), partitioned by
/// the flow's instance id (docs/api.md §5, "Actions taken").
/// </summary>
internal interface IActionLog
{
    /// <summary>Adds <paramref name="action"/> to <paramref name="instanceId"/>'s actions.</summary>
    Task RecordAsync(string instanceId, FlowAction action, CancellationToken cancellationToken);

    /// <summary>The flow's actions, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<FlowAction>> ListAsync(string instanceId, int max, CancellationToken cancellationToken);
}
