namespace CinchFlows.Flows.Telephony;

/// <summary><c>com.cinch.call.transfer.connected</c>: the warm transfer of a call reached its target.</summary>
/// <param name="CallId">The call.</param>
/// <param name="TargetExtension">Where it connected.</param>
/// <param name="IdempotencyKey">The <c>transfer.warm</c> command's key, if the platform echoes it (optional; it tells attempts and flows apart).</param>
public sealed record TransferConnected(string CallId, string TargetExtension, string? IdempotencyKey = null);
