namespace CinchFlows.IntegrationTests.Http;

/// <summary>Input of <see cref="RecordApprovalActivity"/>.</summary>
internal sealed record ApprovalRecord(string Customer, string By);
