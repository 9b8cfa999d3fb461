namespace CinchFlows.Flows.SeverityEscalation;

/// <summary><c>com.cinch.servicejob.escalation.raised</c>: an escalation on a service job, with its reason pair.</summary>
/// <param name="ServiceJobId">The service job (service request, claim).</param>
/// <param name="Reason">Escalation reason key from the taxonomy, e.g. <c>safety-risk</c>.</param>
/// <param name="SubReason">Sub-reason key, e.g. <c>police-contacted</c>.</param>
/// <param name="RaisedBy">Who raised it (agent or system id).</param>
/// <param name="ContactRole">Who contacted us.</param>
/// <param name="Severity">Severity if the raiser set one; otherwise the route's default.</param>
/// <param name="Provider">The service provider to call to expedite the job, if any.</param>
public sealed record EscalationRaised(
    string ServiceJobId,
    string Reason,
    string SubReason,
    string RaisedBy,
    ContactRole ContactRole,
    EscalationSeverity? Severity,
    ServiceProviderContact? Provider);
