namespace CinchFlows.Web.Webhooks;

/// <summary>Remembers the answers given to webhooks, by <c>webhook-id</c>, so redeliveries are answered as the first time.</summary>
internal interface IWebhookReceiptStore
{
    /// <summary>The receipt of <paramref name="webhookId"/>, or null when it was never answered successfully.</summary>
    Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="receipt"/> unless one exists for its id already (the first answer wins).</summary>
    Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken);
}
