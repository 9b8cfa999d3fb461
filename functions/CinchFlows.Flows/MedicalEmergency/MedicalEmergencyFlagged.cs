namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>
/// <c>com.cinch.call.medical-emergency.flagged</c>: the agent flagged a Medical Emergency or High-Risk Situation. Only
/// that a disclosure happened is recorded, never the condition itself.
/// </summary>
/// <param name="CallId">The live call.</param>
/// <param name="AgentId">The Telesales and Retention agent on the call.</param>
/// <param name="CustomerId">The customer or contract.</param>
/// <param name="ServiceRequestId">The service request already in progress; null for scenario 1 (needs service).</param>
public sealed record MedicalEmergencyFlagged(string CallId, string AgentId, string CustomerId, string? ServiceRequestId);
