namespace CinchFlows.IntegrationTests.Http;

/// <summary>Output of <see cref="ApprovalOrchestration"/>.</summary>
internal sealed record ApprovalReceipt(string Customer, string ApprovedBy, string Receipt);
