using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace CinchFlows.Flows.Shared;

/// <summary>Reads the flows' settings, so a flow records the settings it runs with in its history.</summary>
internal sealed class GetFlowSettingsActivity(
    IOptionsMonitor<MedicalEmergencyOptions> medicalEmergency,
    IOptionsMonitor<EscalationOptions> escalation,
    IOptionsMonitor<SupervisorCallbackOptions> supervisorCallback,
    IOptionsMonitor<FlowCommandOptions> commands) : TaskActivity<object?, FlowSettings>
{
    public override Task<FlowSettings> RunAsync(TaskActivityContext context, object? input) =>
        Task.FromResult(new FlowSettings(medicalEmergency.CurrentValue, escalation.CurrentValue, supervisorCallback.CurrentValue, commands.CurrentValue));
}
