namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>F3's input.</summary>
/// <param name="CustomerId">The customer owed a call.</param>
/// <param name="CallId">The live call, if the request came on one.</param>
/// <param name="AgentId">The agent on that call.</param>
/// <param name="SupervisorAvailable">Whether to try a warm transfer to a supervisor first.</param>
/// <param name="Priority">High for a failed medical-emergency transfer.</param>
/// <param name="Reason">Why the callback exists.</param>
/// <param name="Channel">Where the request came from: <c>call</c>, or another channel's name.</param>
public sealed record SupervisorCallbackInput(
    string CustomerId,
    string? CallId,
    string? AgentId,
    bool SupervisorAvailable,
    CallbackPriority Priority,
    CallbackReason Reason,
    string Channel);
