using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Notifications;

/// <summary>The name of each notification topic (configuration section <c>Notifications:Topics</c>, keys named after <see cref="NotificationTopic"/>).</summary>
internal sealed class NotificationTopicNames
{
    /// <summary>Topic of <see cref="NotificationTopic.AgentPrompts"/>. Default is "agent-prompts".</summary>
    public string AgentPrompts { get; set; } = "agent-prompts";

    /// <summary>Topic of <see cref="NotificationTopic.HandoffNotes"/>. Default is "handoff-notes".</summary>
    public string HandoffNotes { get; set; } = "handoff-notes";

    /// <summary>Topic of <see cref="NotificationTopic.ClaimsSeverity"/>. Default is "claims-severity".</summary>
    public string ClaimsSeverity { get; set; } = "claims-severity";

    /// <summary>Topic of <see cref="NotificationTopic.Escalations"/>. Default is "escalations".</summary>
    public string Escalations { get; set; } = "escalations";

    /// <summary>Topic of <see cref="NotificationTopic.SupervisorNotifications"/>. Default is "supervisor-notifications".</summary>
    public string SupervisorNotifications { get; set; } = "supervisor-notifications";

    /// <summary>Topic of <see cref="NotificationTopic.CallbackTasks"/>. Default is "callback-tasks".</summary>
    public string CallbackTasks { get; set; } = "callback-tasks";

    /// <summary>Topic of <see cref="NotificationTopic.OpsAlerts"/>. Default is "ops-alerts".</summary>
    public string OpsAlerts { get; set; } = "ops-alerts";

    /// <summary>The configured name of <paramref name="topic"/>.</summary>
    public string For(NotificationTopic topic) => topic switch
    {
        NotificationTopic.AgentPrompts => AgentPrompts,
        NotificationTopic.HandoffNotes => HandoffNotes,
        NotificationTopic.ClaimsSeverity => ClaimsSeverity,
        NotificationTopic.Escalations => Escalations,
        NotificationTopic.SupervisorNotifications => SupervisorNotifications,
        NotificationTopic.CallbackTasks => CallbackTasks,
        NotificationTopic.OpsAlerts => OpsAlerts,
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "Unknown notification topic."),
    };
}
