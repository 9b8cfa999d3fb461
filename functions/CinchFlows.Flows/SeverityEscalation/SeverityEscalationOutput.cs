
namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>F2's outcome (docs/api.md §7).</summary>
/// <param name="Route">Where the escalation went.</param>
/// <param name="Severity">The job's severity at the end.</param>
/// <param name="AcknowledgedBy">Who acknowledged it; null when nobody did.</param>
/// <param name="TiersNotified">Every tier told, in order.</param>
/// <param name="ProviderCalled">Whether the provider call was sent (null when none was asked for).</param>
public sealed record SeverityEscalationOutput(
    EscalationRoute Route,
    EscalationSeverity Severity,
    string? AcknowledgedBy,
    IReadOnlyList<string> TiersNotified,
    bool? ProviderCalled);
