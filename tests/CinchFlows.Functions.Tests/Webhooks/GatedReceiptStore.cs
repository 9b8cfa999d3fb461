using CinchFlows.Functions.Webhooks;

namespace CinchFlows.Functions.Tests.Webhooks;

/// <summary>In-memory receipts whose lookups wait until the test lets them answer.</summary>
internal sealed class GatedReceiptStore : IWebhookReceiptStore
{
    private readonly InMemoryWebhookReceiptStore inner = new();

    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken)
    {
        await Open.Task.WaitAsync(cancellationToken);
        return await inner.FindAsync(webhookId, cancellationToken);
    }

    public Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken) => inner.RecordAsync(receipt, cancellationToken);
}
