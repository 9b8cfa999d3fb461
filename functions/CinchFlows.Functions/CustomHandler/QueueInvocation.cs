namespace CinchFlows.Functions.CustomHandler;

/// <summary>A queue-trigger invocation from the Functions host: the message text and what the host says about it.</summary>
/// <param name="Message">The message text (the host has decoded the queue's Base64).</param>
/// <param name="DequeueCount">How many times the queue has handed the message out, this time included.</param>
/// <param name="MessageId">The queue message id, for the log and the poison envelope.</param>
internal sealed record QueueInvocation(string Message, long DequeueCount, string MessageId);
