using Microsoft.DurableTask.Client;

namespace CinchFlows.Flows;

/// <summary>Helpers on a flow's runtime status, shared with the hosts.</summary>
public static class FlowStatuses
{
    /// <summary>True when the flow has ended (Completed, Failed or Terminated) and takes no more events.</summary>
    public static bool IsFinished(OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
