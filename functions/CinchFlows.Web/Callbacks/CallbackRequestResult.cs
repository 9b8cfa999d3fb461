namespace CinchFlows.Web.Callbacks;

/// <summary>The outcome of one callback request and the F3 instance it belongs to.</summary>
/// <param name="Outcome">Started or duplicate.</param>
/// <param name="FlowId">The F3 instance id, <c>callback-request-{requestId}</c>.</param>
internal sealed record CallbackRequestResult(CallbackRequestOutcome Outcome, string FlowId);
