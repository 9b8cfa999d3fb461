namespace CinchFlows.Durable.Storage;

/// <summary>A work message taken from the queue; it stays invisible to others until deleted or released.</summary>
/// <param name="Message">The message, or null when its body could not be read.</param>
/// <param name="DequeueCount">How many times the queue has handed this message out, this time included.</param>
/// <param name="RawBody">The body as stored, kept for the poison queue.</param>
/// <param name="Receipt">The store's handle for delete, release and poison.</param>
public sealed record ReceivedMessage(WorkMessage? Message, long DequeueCount, string RawBody, object Receipt)
{
    /// <summary>Why the body could not be read, when <see cref="Message"/> is null.</summary>
    public string? ReadError { get; init; }
}
