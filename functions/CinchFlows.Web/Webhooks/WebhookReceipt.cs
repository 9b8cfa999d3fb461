namespace CinchFlows.Web.Webhooks;

/// <summary>
/// The answer given to a webhook, kept so a redelivery (same <c>webhook-id</c>) gets the same answer. Only the response
/// is kept, never the request body.
/// </summary>
/// <param name="WebhookId">The <c>webhook-id</c> it answered.</param>
/// <param name="StatusCode">The HTTP status sent.</param>
/// <param name="Body">The JSON body sent.</param>
/// <param name="Location">The <c>Location</c> header sent, if any.</param>
/// <param name="ReceivedTime">When the first delivery was answered.</param>
internal sealed record WebhookReceipt(string WebhookId, int StatusCode, string Body, string? Location, DateTimeOffset ReceivedTime);
