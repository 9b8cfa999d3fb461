using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Management;

/// <summary>The request needs a finished instance (purge), but this one still runs: terminate it first.</summary>
internal sealed class InstanceStillRunningException(string instanceId, OrchestrationRuntimeStatus status)
    : Exception($"Orchestration instance '{instanceId}' is {status}; terminate it before purging.")
{
    /// <summary>The id asked for.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>Its status.</summary>
    public OrchestrationRuntimeStatus Status { get; } = status;
}
