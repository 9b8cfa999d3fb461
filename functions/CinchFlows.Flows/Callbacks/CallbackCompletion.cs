namespace CinchFlows.Flows.Callbacks;

/// <summary>The payload of <see cref="FlowEvents.CallbackCompleted"/>.</summary>
/// <param name="SupervisorId">Who completed it.</param>
/// <param name="Outcome">The recorded outcome.</param>
public sealed record CallbackCompletion(string SupervisorId, string? Outcome);
