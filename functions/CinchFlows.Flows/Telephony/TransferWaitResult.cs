namespace CinchFlows.Flows.Telephony;

/// <summary>How a wait for a warm transfer ended.</summary>
internal enum TransferWaitResult
{
    /// <summary>"Transfer connected" for the target.</summary>
    Connected,

    /// <summary>The platform reported the transfer failed.</summary>
    Failed,

    /// <summary>The call ended: nobody is left to transfer.</summary>
    CallEnded,

    /// <summary>Nothing came before the timeout.</summary>
    TimedOut,
}
