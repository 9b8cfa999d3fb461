namespace CinchFlows.Flows.Callbacks;

/// <summary>What a claim or completion did.</summary>
/// <param name="Outcome">Changed, already so (idempotent repeat), refused, or no such task.</param>
/// <param name="Task">The task as it now stands (null when not found).</param>
/// <param name="Reason">For a conflict: why, in words for the supervisor.</param>
public sealed record CallbackChangeResult(CallbackChangeOutcome Outcome, CallbackTask? Task, string? Reason = null);
