using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>In-memory receipts whose lookups wait until the test lets them answer.</summary>
internal sealed class GatedReceiptStore : IWebhookReceiptStore
{
    private readonly InMemoryWebhookReceiptStore inner = new();

    /// <summary>Completes when the first lookup has begun.</summary>
    public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken)
    {
        Asked.TrySetResult();
        await Open.Task.WaitAsync(cancellationToken);
        return await inner.FindAsync(webhookId, cancellationToken);
    }

    public Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken) => inner.RecordAsync(receipt, cancellationToken);
}
