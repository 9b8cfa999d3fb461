namespace CinchFlows.Flows.Events;

/// <summary><c>com.cinch.call.transfer.connected</c>: the warm transfer of a call reached its target.</summary>
/// <param name="CallId">The call.</param>
/// <param name="TargetExtension">Where it connected.</param>
public sealed record TransferConnected(string CallId, string TargetExtension);
