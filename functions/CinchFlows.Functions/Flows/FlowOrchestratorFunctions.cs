using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace CinchFlows.Functions.Flows;

/// <summary>
/// The three flows as orchestrator functions, under their contract names (<see cref="FlowNames"/>). Each body runs the
/// flow's own class, as the standalone host's worker does; no source generator is served, so these are written by hand.
/// </summary>
internal static class FlowOrchestratorFunctions
{
    /// <summary>F1, <see cref="MedicalEmergencyTransferOrchestration"/>.</summary>
    [Function(FlowNames.MedicalEmergencyTransfer)]
    public static Task<MedicalEmergencyTransferOutput> MedicalEmergencyTransfer([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new MedicalEmergencyTransferOrchestration().RunAsync(context, InputOf<MedicalEmergencyTransferInput>(context));

    /// <summary>F2, <see cref="SeverityEscalationOrchestration"/>.</summary>
    [Function(FlowNames.SeverityEscalation)]
    public static Task<SeverityEscalationOutput> SeverityEscalation([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SeverityEscalationOrchestration().RunAsync(context, InputOf<SeverityEscalationInput>(context));

    /// <summary>F3, <see cref="SupervisorCallbackOrchestration"/>.</summary>
    [Function(FlowNames.SupervisorCallback)]
    public static Task<SupervisorCallbackOutput> SupervisorCallback([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SupervisorCallbackOrchestration().RunAsync(context, InputOf<SupervisorCallbackInput>(context));

    private static T InputOf<T>(TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A flow without its input fails at once, as under the standalone worker (the flow classes check it too).
        return context.GetInput<T>() ?? throw new FlowInputException($"{context.Name} needs an input ({typeof(T).Name}).");
    }
}
