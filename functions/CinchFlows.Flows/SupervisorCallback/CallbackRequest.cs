namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>A message on the <c>callback-requests</c> queue: another channel (web form, email, chat) asks for a supervisor's call back.</summary>
/// <param name="RequestId">The channel's id for the request; the flow id derives from it, so a redelivered message starts nothing new.</param>
/// <param name="CustomerId">The customer to call back.</param>
/// <param name="Channel">Where the request came from, e.g. <c>web</c>.</param>
/// <param name="CallId">A call it relates to, if any.</param>
public sealed record CallbackRequest(string RequestId, string CustomerId, string Channel, string? CallId);
