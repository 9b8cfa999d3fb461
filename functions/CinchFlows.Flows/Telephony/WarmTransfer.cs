namespace CinchFlows.Flows.Telephony;

/// <summary>A warm transfer a flow makes: which call, to whom, how often and how long to wait each time.</summary>
/// <param name="CallId">The call.</param>
/// <param name="TargetExtension">Where it goes.</param>
/// <param name="TargetName">Who answers there, for the status line, e.g. "Customer Service".</param>
/// <param name="Attempts">Attempts in all.</param>
/// <param name="ConnectTimeout">How long each attempt waits for "transfer connected".</param>
/// <param name="Note">The handoff note (whisper) sent with the command.</param>
internal sealed record WarmTransfer(string CallId, string TargetExtension, string TargetName, int Attempts, TimeSpan ConnectTimeout, string Note);
