namespace CinchFlows.Durable;

/// <summary>A work message (an event, an activity input) too large for the queue: Azure Queue messages are 64 KiB in Base64.</summary>
public sealed class PayloadTooLargeException(string messageId, int length, int limit)
    : ArgumentException($"Work message '{messageId}' would be {length} characters on the queue; at most {limit} fit. Keep large data out of events and activity inputs.")
{
    /// <summary>The message's length on the queue (Base64 characters).</summary>
    public int Length { get; } = length;

    /// <summary>The most characters a queue message may have.</summary>
    public int Limit { get; } = limit;
}
