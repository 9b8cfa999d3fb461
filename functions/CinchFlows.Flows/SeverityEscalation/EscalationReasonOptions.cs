using CinchFlows.Flows.Shared;


namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>One escalation reason of the taxonomy: its sub-reasons and where it routes.</summary>
public sealed class EscalationReasonOptions
{
    /// <summary>The route every sub-reason of this reason takes.</summary>
    public EscalationRoute Route { get; set; }

    /// <summary>The accepted sub-reason keys (kebab-case), comma-separated.</summary>
    public string SubReasons { get; set; } = "general";

    /// <summary>Severity when the raiser gives none. Default is Normal.</summary>
    public EscalationSeverity DefaultSeverity { get; set; } = EscalationSeverity.Normal;

    /// <summary>The sub-reasons as a list.</summary>
    public IReadOnlyList<string> SubReasonList() => FlowText.SplitList(SubReasons);
}
