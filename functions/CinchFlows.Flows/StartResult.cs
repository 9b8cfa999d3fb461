namespace CinchFlows.Flows;

/// <summary>What a start did.</summary>
/// <param name="InstanceId">The flow's instance id (derived from its business key).</param>
/// <param name="Created">True when this call scheduled the flow; false when a flow with that id already existed, which was left as it was.</param>
public sealed record StartResult(string InstanceId, bool Created);
