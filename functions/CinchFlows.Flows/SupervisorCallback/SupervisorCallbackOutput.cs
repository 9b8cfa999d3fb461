namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>F3's outcome (docs/api.md §7).</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="CallbackId">The callback task, when one was opened.</param>
/// <param name="ClaimedBy">The supervisor who claimed it.</param>
/// <param name="TiersNotified">Every notification, by tier, in order.</param>
public sealed record SupervisorCallbackOutput(
    SupervisorCallbackOutcome Outcome,
    string? CallbackId,
    string? ClaimedBy,
    IReadOnlyList<string> TiersNotified);
