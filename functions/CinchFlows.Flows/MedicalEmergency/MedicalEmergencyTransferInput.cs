namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>F1's input: the call and who is on it. There is deliberately no field for the condition.</summary>
/// <param name="CallId">The live call.</param>
/// <param name="AgentId">The agent who flagged it.</param>
/// <param name="CustomerId">The customer or contract.</param>
/// <param name="ServiceRequestId">The service request already in progress (scenario 2), or null (scenario 1).</param>
public sealed record MedicalEmergencyTransferInput(string CallId, string AgentId, string CustomerId, string? ServiceRequestId);
