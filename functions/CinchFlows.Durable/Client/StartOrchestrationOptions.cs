namespace CinchFlows.Durable.Client;

/// <summary>Options for starting an orchestration.</summary>
/// <param name="InstanceId">The instance id; derive it from a business key so a repeated start is a no-op. Null picks a new GUID.</param>
/// <param name="StartAt">Start no earlier than this time.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
