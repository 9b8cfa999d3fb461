namespace CinchFlows.Flows.Telephony;

/// <summary><c>com.cinch.call.transfer.failed</c>: the platform gave up on a warm transfer.</summary>
/// <param name="CallId">The call.</param>
/// <param name="TargetExtension">Where it was going.</param>
/// <param name="Reason">The platform's reason code, e.g. <c>busy</c> or <c>no-answer</c>.</param>
/// <param name="IdempotencyKey">The <c>transfer.warm</c> command's key, if the platform echoes it (optional; a late failure of an earlier attempt is then not taken for the current one).</param>
public sealed record TransferFailed(string CallId, string TargetExtension, string? Reason, string? IdempotencyKey = null);
