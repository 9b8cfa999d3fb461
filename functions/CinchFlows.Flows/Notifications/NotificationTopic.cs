namespace CinchFlows.Flows.Notifications;

/// <summary>The Service Bus topics people listen on (docs/api.md §3); their names come from configuration.</summary>
public enum NotificationTopic
{
    /// <summary>Scripts and prompts for the agent on the call (<c>agent-prompts</c>).</summary>
    AgentPrompts,

    /// <summary>What the receiving agent is told before taking over a call (<c>handoff-notes</c>).</summary>
    HandoffNotes,

    /// <summary>Severity changes for the claims system (<c>claims-severity</c>).</summary>
    ClaimsSeverity,

    /// <summary>Escalations routed to a group, and their tier-ups (<c>escalations</c>).</summary>
    Escalations,

    /// <summary>Alerts and callback requests for supervisors and managers (<c>supervisor-notifications</c>).</summary>
    SupervisorNotifications,

    /// <summary>Call Back Tasks for the CRM and service-job systems (<c>callback-tasks</c>).</summary>
    CallbackTasks,

    /// <summary>Things ops must look at: breaches, unacknowledged escalations (<c>ops-alerts</c>).</summary>
    OpsAlerts,
}
