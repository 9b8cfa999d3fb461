using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SupervisorCallback;

namespace CinchFlows.Flows.Shared;

/// <summary>
/// The settings a flow runs with, read once by its first activity and so recorded in its history: a configuration
/// change applies to flows started after it, and never makes a running flow replay differently.
/// </summary>
/// <param name="MedicalEmergency">F1's settings.</param>
/// <param name="Escalation">F2's settings.</param>
/// <param name="SupervisorCallback">F3's settings.</param>
/// <param name="Commands">Retries of commands and notifications.</param>
public sealed record FlowSettings(
    MedicalEmergencyOptions MedicalEmergency,
    EscalationOptions Escalation,
    SupervisorCallbackOptions SupervisorCallback,
    FlowCommandOptions Commands);
