namespace CinchFlows.IntegrationTests.Http;

/// <summary>Payload of the "Approve" event.</summary>
internal sealed record Approval(string By);
