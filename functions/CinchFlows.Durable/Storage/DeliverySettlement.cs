namespace CinchFlows.Durable.Storage;

/// <summary>How a message delivered by the Functions host was settled.</summary>
public enum DeliverySettlement
{
    /// <summary>Handled (or sent on for later): the invocation succeeds and the host deletes the message.</summary>
    Completed,

    /// <summary>Failed for now: the invocation fails and the host makes the message visible again.</summary>
    Retry,

    /// <summary>Moved to the runtime's poison queue with its reason: the invocation succeeds and the host deletes the original.</summary>
    Poisoned,
}
