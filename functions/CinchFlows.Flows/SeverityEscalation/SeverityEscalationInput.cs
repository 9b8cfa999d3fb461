
namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>F2's input: the escalation as raised (reason pair already checked against the taxonomy).</summary>
/// <param name="ServiceJobId">The service job.</param>
/// <param name="Reason">Reason key.</param>
/// <param name="SubReason">Sub-reason key.</param>
/// <param name="RaisedBy">Who raised it.</param>
/// <param name="ContactRole">Who contacted us.</param>
/// <param name="Severity">Severity given by the raiser; null takes the reason's default.</param>
/// <param name="Provider">The service provider to call, if any.</param>
/// <param name="CallId">The call it came from, if any.</param>
/// <param name="SourceFlowId">The flow that started it (F1 in scenario 2), if any.</param>
public sealed record SeverityEscalationInput(
    string ServiceJobId,
    string Reason,
    string SubReason,
    string RaisedBy,
    ContactRole ContactRole,
    EscalationSeverity? Severity,
    ServiceProviderContact? Provider,
    string? CallId = null,
    string? SourceFlowId = null);
