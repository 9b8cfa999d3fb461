namespace CinchFlows.Web.Supervision;

/// <summary>An escalation as the supervisor API lists it (docs/api.md §4): the F2 flow's input and where it stands.</summary>
internal sealed record EscalationJson(
    string EscalationId,
    string ServiceJobId,
    string? Route,
    string? Severity,
    string Reason,
    string SubReason,
    string RaisedBy,
    DateTimeOffset CreatedTime,
    DateTimeOffset? DueTime,
    string? Tier,
    string? AcknowledgedBy);
