namespace CinchFlows.Durable.Client;

/// <summary>The outcome of a start: the instance id, and whether this call created it (false: it existed already).</summary>
public sealed record StartResult(string InstanceId, bool Created);
