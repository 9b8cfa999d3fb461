namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>F1's auditable outcome (docs/api.md §7).</summary>
/// <param name="Scenario">Which procedure ran.</param>
/// <param name="Outcome">Whether the caller reached Customer Service.</param>
/// <param name="Attempts">Transfer attempts made.</param>
/// <param name="SecondsToConnect">From the flag to "transfer connected"; null when not connected.</param>
/// <param name="SeverityEscalationId">The F2 instance that sets the severity (scenario 2).</param>
/// <param name="CallbackId">The high-priority callback opened when the transfer never connected.</param>
/// <param name="HandoffDelivered">Whether the handoff note went to the Customer Service agent.</param>
/// <param name="HintedTime">When a live-transcript Medical Emergency hint was given on the call (only its time is kept), or null.</param>
/// <param name="HintedFirst">True when that hint came before the agent flagged the call.</param>
public sealed record MedicalEmergencyTransferOutput(
    TransferScenario Scenario,
    TransferOutcome Outcome,
    int Attempts,
    double? SecondsToConnect,
    string? SeverityEscalationId,
    string? CallbackId,
    bool HandoffDelivered,
    DateTimeOffset? HintedTime = null,
    bool HintedFirst = false);
