using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Management;

/// <summary>The instance has already completed, failed or been terminated, so it cannot take the request.</summary>
internal sealed class InstanceFinishedException(string instanceId, OrchestrationRuntimeStatus status)
    : Exception($"Orchestration instance '{instanceId}' is {status}.")
{
    /// <summary>The id asked for.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>Its final status.</summary>
    public OrchestrationRuntimeStatus Status { get; } = status;
}
