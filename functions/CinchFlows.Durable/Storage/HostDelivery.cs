namespace CinchFlows.Durable.Storage;

/// <summary>
/// The receipt of a message that the Azure Functions host took off the queue and handed to this process (a queue
/// trigger). The host deletes it when the invocation succeeds and makes it visible again when it fails, so the stores
/// do not touch the queue for it: a delete, release or poison only records how the invocation must answer.
/// </summary>
public sealed class HostDelivery
{
    private readonly TaskCompletionSource<DeliveryOutcome> settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? poisonReason;

    /// <summary>Completes with the outcome once the message is handled, retried or poisoned.</summary>
    public Task<DeliveryOutcome> Settled => settled.Task;

    /// <summary>The message is done: the host may delete it.</summary>
    public void Complete() => settled.TrySetResult(poisonReason is { } reason
        ? new DeliveryOutcome(DeliverySettlement.Poisoned, reason)
        : new DeliveryOutcome(DeliverySettlement.Completed, null));

    /// <summary>The message must come back later: the invocation fails, so the host makes it visible again.</summary>
    public void Retry(TimeSpan delay) => settled.TrySetResult(new DeliveryOutcome(DeliverySettlement.Retry, null) { RetryAfter = delay });

    /// <summary>
    /// The runtime is moving a copy to its poison queue: the delete that follows the copy settles as poisoned. A copy that
    /// cannot be written never reaches that delete, so the host keeps the original.
    /// </summary>
    public void PoisonOnComplete(string reason) => poisonReason = reason;
}
