namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>What the flow records on its Call Back Task.</summary>
/// <param name="CallbackId">The task.</param>
/// <param name="Kind">What happened.</param>
/// <param name="DueTime">When the next wait ends.</param>
/// <param name="Tier">The tier told (for <see cref="CallbackProgressKind.TierNotified"/>).</param>
public sealed record CallbackProgress(string CallbackId, CallbackProgressKind Kind, DateTimeOffset DueTime, string? Tier = null);
