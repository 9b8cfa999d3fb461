namespace CinchFlows.Flows.Hints;

/// <summary>The input of <see cref="ReadHintActivity"/>: which call and protocol.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Protocol">The protocol.</param>
public sealed record HintLookup(string CallId, HintProtocol Protocol);
