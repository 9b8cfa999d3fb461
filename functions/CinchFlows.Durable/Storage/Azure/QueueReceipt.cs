namespace CinchFlows.Durable.Storage.Azure;

/// <summary>The handle of a received queue message: its id and the latest pop receipt (a release issues a new one).</summary>
internal sealed class QueueReceipt(string messageId, string popReceipt)
{
    /// <summary>The queue's message id.</summary>
    public string MessageId { get; } = messageId;

    /// <summary>The pop receipt that allows deleting or updating the message now.</summary>
    public string PopReceipt { get; set; } = popReceipt;
}
