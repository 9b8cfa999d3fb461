namespace CinchFlows.IntegrationTests.Http;

/// <summary>Input of <see cref="ApprovalOrchestration"/>.</summary>
internal sealed record ApprovalRequest(string Customer);
