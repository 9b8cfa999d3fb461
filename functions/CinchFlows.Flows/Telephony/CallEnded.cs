namespace CinchFlows.Flows.Telephony;

/// <summary><c>com.cinch.call.ended</c>: the call is over (the caller hung up or the agent ended it).</summary>
/// <param name="CallId">The call.</param>
public sealed record CallEnded(string CallId);
