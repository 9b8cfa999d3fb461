namespace CinchFlows.Web.Management;

/// <summary>No instance has this id.</summary>
internal sealed class InstanceNotFoundException(string instanceId)
    : Exception($"No orchestration instance '{instanceId}'.")
{
    /// <summary>The id asked for.</summary>
    public string InstanceId { get; } = instanceId;
}
