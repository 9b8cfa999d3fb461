namespace CinchFlows.Durable;

/// <summary>Options for a sub-orchestration or a started orchestration: its instance id (derive from a business key) and retries.</summary>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);
