namespace CinchFlows.TelephonySimulator;

/// <summary>A delivery the simulated platform refused before reading it as a command (signature, freshness, size, JSON).</summary>
/// <param name="StatusCode">The answer: 401, 400, 413, 404 or 405.</param>
/// <param name="Reason">Why, in a few words.</param>
/// <param name="WebhookId">The <c>webhook-id</c> header, if one came.</param>
/// <param name="ReceivedAt">When it arrived, on the receiver's clock.</param>
public sealed record RejectedDelivery(int StatusCode, string Reason, string? WebhookId, DateTimeOffset ReceivedAt);
