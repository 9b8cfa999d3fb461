namespace CinchFlows.Flows;

/// <summary>What became of an event sent to one flow.</summary>
internal enum EventDeliveryResult
{
    /// <summary>No flow has that id.</summary>
    Unknown,

    /// <summary>The flow has ended (Completed, Failed or Terminated): it takes no more events.</summary>
    Finished,

    /// <summary>The flow is running (or pending, or suspended) and the event was raised.</summary>
    Delivered,
}
