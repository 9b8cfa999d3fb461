namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>The payload of <see cref="FlowEvents.EscalationAcknowledged"/>.</summary>
/// <param name="By">Who acknowledged.</param>
public sealed record EscalationAcknowledgement(string By);
