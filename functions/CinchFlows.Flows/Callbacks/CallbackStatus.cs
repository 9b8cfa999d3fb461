namespace CinchFlows.Flows.Callbacks;

/// <summary>Where a Call Back Task stands (wire values lowercase in the API's <c>status</c> filter).</summary>
public enum CallbackStatus
{
    /// <summary>Waiting for a supervisor to claim it.</summary>
    Open,

    /// <summary>A supervisor claimed it and owes the customer a call.</summary>
    Claimed,

    /// <summary>The supervisor called the customer back.</summary>
    Completed,

    /// <summary>A deadline passed (nobody claimed it, or the claimer did not complete it in time); ops were alerted. It can still be claimed and completed.</summary>
    Breached,
}
