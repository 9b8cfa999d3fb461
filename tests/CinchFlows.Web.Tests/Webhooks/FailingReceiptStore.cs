using Azure;
using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>A receipt store whose storage account does not answer (its tasks fail, as the SDK's do).</summary>
internal sealed class FailingReceiptStore : IWebhookReceiptStore
{
    public Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken) =>
        Task.FromException<WebhookReceipt?>(new RequestFailedException(503, "The server is busy."));

    public Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken) =>
        Task.FromException(new RequestFailedException(503, "The server is busy."));
}
