namespace CinchFlows.Flows.Callbacks;

/// <summary>The payload of <see cref="FlowEvents.CallbackClaimed"/>.</summary>
/// <param name="SupervisorId">Who claimed it.</param>
/// <param name="ClaimedTime">When.</param>
public sealed record CallbackClaim(string SupervisorId, DateTimeOffset ClaimedTime);
