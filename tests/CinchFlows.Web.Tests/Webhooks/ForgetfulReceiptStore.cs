using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>A receipt store that keeps nothing, as if every receipt had been lost: each delivery looks new.</summary>
internal sealed class ForgetfulReceiptStore : IWebhookReceiptStore
{
    public Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken) => Task.FromResult<WebhookReceipt?>(null);

    public Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken) => Task.CompletedTask;
}
