namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>The changes a flow makes to its Call Back Task.</summary>
public enum CallbackProgressKind
{
    /// <summary>A tier was told; the claim is due by the new due time.</summary>
    TierNotified,

    /// <summary>Every tier missed the claim: breached.</summary>
    ClaimBreached,

    /// <summary>The flow saw the claim; completion is due by the new due time.</summary>
    ClaimSeen,

    /// <summary>The claimer missed the completion deadline: breached.</summary>
    CompletionBreached,
}
