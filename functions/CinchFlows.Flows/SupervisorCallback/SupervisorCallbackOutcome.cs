namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>How F3 ended.</summary>
public enum SupervisorCallbackOutcome
{
    /// <summary>The caller was warm-transferred to a supervisor.</summary>
    TransferredToSupervisor,

    /// <summary>A supervisor claimed and completed the callback.</summary>
    Completed,

    /// <summary>A deadline passed (claim by every tier, or completion); ops were alerted.</summary>
    Breached,
}
