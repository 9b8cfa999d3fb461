using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using Microsoft.DurableTask;

namespace CinchFlows.IntegrationTests.Replay;

/// <summary>The orchestrators this build registers (<see cref="FlowsServiceCollectionExtensions.AddCallCenterFlows(DurableTaskRegistry)"/>), by name, for the replay check.</summary>
internal static class CurrentFlows
{
    /// <summary>A fresh orchestrator for <paramref name="name"/>, or null when this build has none.</summary>
    public static ITaskOrchestrator? Find(string name) => name switch
    {
        FlowNames.MedicalEmergencyTransfer => new MedicalEmergencyTransferOrchestration(),
        FlowNames.SeverityEscalation => new SeverityEscalationOrchestration(),
        FlowNames.SupervisorCallback => new SupervisorCallbackOrchestration(),
        _ => null,
    };
}
