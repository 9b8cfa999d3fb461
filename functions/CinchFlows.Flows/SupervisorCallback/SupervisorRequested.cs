namespace CinchFlows.Flows.SupervisorCallback;

/// <summary><c>com.cinch.call.supervisor.requested</c>: the customer asked for a supervisor.</summary>
/// <param name="CallId">The live call.</param>
/// <param name="AgentId">The agent on the call.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="SupervisorAvailable">Whether the platform sees a supervisor free to take the call now.</param>
public sealed record SupervisorRequested(string CallId, string AgentId, string CustomerId, bool SupervisorAvailable);
