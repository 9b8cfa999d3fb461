namespace CinchFlows.Flows.Shared;

/// <summary>
/// A flow's custom status: <see cref="Text"/> is the line a person reads ("waiting for Customer Service to answer,
/// attempt 2 of 3, since 10:42:05 UTC"); the other fields are for the dashboard.
/// </summary>
public sealed record FlowStatus
{
    /// <summary>A short machine-readable phase, e.g. <c>WaitingForConnect</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>The readable line.</summary>
    public required string Text { get; init; }

    /// <summary>When this phase began.</summary>
    public required DateTime Since { get; init; }

    /// <summary>When the current wait ends, if it has a deadline.</summary>
    public DateTime? Due { get; init; }

    /// <summary>Current transfer attempt.</summary>
    public int? Attempt { get; init; }

    /// <summary>Transfer attempts in all.</summary>
    public int? Of { get; init; }

    /// <summary>The tier told most recently.</summary>
    public string? Tier { get; init; }

    /// <summary>The service job's severity (F2).</summary>
    public string? Severity { get; init; }

    /// <summary>Where the escalation went (F2): an <c>EscalationRoute</c> name, e.g. <c>ClaimsSpecialist</c>.</summary>
    public string? Route { get; init; }

    /// <summary>Who acknowledged the escalation (F2), once someone has.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>Where the outbound provider call stands (F2), e.g. waiting for business hours.</summary>
    public string? ProviderCall { get; init; }

    /// <summary>
    /// The flow version the flow started on (docs/flows.md, "Changing a flow"); absent for a flow started before
    /// versioning, which runs as version 1.0. Set by <see cref="FlowSteps.SetFlowStatus"/>.
    /// </summary>
    public string? Version { get; init; }
}
