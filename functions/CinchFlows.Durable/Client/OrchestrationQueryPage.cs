namespace CinchFlows.Durable.Client;

/// <summary>One page of instances and the token for the next page (null at the end).</summary>
public sealed record OrchestrationQueryPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
