namespace CinchFlows.Durable.Client;

/// <summary>No instance has this id.</summary>
public sealed class InstanceNotFoundException(string instanceId)
    : Exception($"No orchestration instance '{instanceId}'.")
{
    /// <summary>The id asked for.</summary>
    public string InstanceId { get; } = instanceId;
}
