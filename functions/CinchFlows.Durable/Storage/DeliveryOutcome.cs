namespace CinchFlows.Durable.Storage;

/// <summary>What became of a message delivered by the Functions host, and why.</summary>
/// <param name="Settlement">Completed, retry or poisoned.</param>
/// <param name="Reason">Why it was poisoned, or why it must be retried.</param>
public sealed record DeliveryOutcome(DeliverySettlement Settlement, string? Reason)
{
    /// <summary>The retry delay the runtime would have chosen (the host applies its own <c>visibilityTimeout</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when the host may delete the message.</summary>
    public bool Succeeded => Settlement != DeliverySettlement.Retry;
}
