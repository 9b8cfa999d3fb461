namespace CinchFlows.Web.Webhooks;

/// <summary>Receipts in process memory (the in-memory run mode), the newest <see cref="Capacity"/> kept.</summary>
internal sealed class InMemoryWebhookReceiptStore : IWebhookReceiptStore
{
    /// <summary>How many receipts are kept; the oldest go first. Bounds memory in a long demo run.</summary>
    public const int Capacity = 100_000;

    private readonly Dictionary<string, WebhookReceipt> receipts = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    /// <summary>How many receipts are kept now.</summary>
    public int Count
    {
        get
        {
            lock (receipts)
            {
                return receipts.Count;
            }
        }
    }

    /// <inheritdoc/>
    public Task<WebhookReceipt?> FindAsync(string webhookId, CancellationToken cancellationToken)
    {
        lock (receipts)
        {
            return Task.FromResult(receipts.GetValueOrDefault(webhookId));
        }
    }

    /// <inheritdoc/>
    public Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        lock (receipts)
        {
            if (receipts.TryAdd(receipt.WebhookId, receipt))
            {
                order.Enqueue(receipt.WebhookId);
                while (order.Count > Capacity)
                {
                    receipts.Remove(order.Dequeue());
                }
            }
        }

        return Task.CompletedTask;
    }
}
