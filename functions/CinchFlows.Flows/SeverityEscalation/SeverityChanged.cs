namespace CinchFlows.Flows.SeverityEscalation;

/// <summary><c>com.cinch.servicejob.severity.changed</c>: the job's severity was set elsewhere.</summary>
/// <param name="ServiceJobId">The service job.</param>
/// <param name="Severity">Its new severity.</param>
public sealed record SeverityChanged(string ServiceJobId, EscalationSeverity Severity);
