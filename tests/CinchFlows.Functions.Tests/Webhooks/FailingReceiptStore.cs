using Azure;
using CinchFlows.Functions.Webhooks;

namespace CinchFlows.Functions.Tests.Webhooks;

/// <summary>A receipt store whose storage account does not answer.</summary>
internal sealed class FailingReceiptStore : IWebhookReceiptStore
{
    public Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken) =>
        throw new RequestFailedException(503, "The server is busy.");

    public Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken) =>
        throw new RequestFailedException(503, "The server is busy.");
}
