namespace CinchFlows.Durable.Storage;

/// <summary>One page of an instance listing and the token for the next (null at the end).</summary>
public sealed record InstancePage(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken);
