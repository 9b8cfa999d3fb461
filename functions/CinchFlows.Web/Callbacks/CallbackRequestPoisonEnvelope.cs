namespace CinchFlows.Web.Callbacks;

/// <summary>What the poison queue holds for a callback request that could not be handled: why, and the message as it was.</summary>
/// <param name="Reason">Why it was given up on.</param>
/// <param name="Queue">The queue it came from.</param>
/// <param name="MessageId">Its id on that queue.</param>
/// <param name="DequeueCount">How many times it was handed out.</param>
/// <param name="PoisonedTime">When it was moved.</param>
/// <param name="OriginalMessage">The message text as stored (cut short only if it would not fit in a queue message).</param>
/// <param name="OriginalTruncated">True when <paramref name="OriginalMessage"/> was cut short.</param>
internal sealed record CallbackRequestPoisonEnvelope(
    string Reason,
    string Queue,
    string MessageId,
    long DequeueCount,
    DateTimeOffset PoisonedTime,
    string OriginalMessage,
    bool OriginalTruncated);
