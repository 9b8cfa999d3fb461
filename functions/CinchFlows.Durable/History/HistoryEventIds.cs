namespace CinchFlows.Durable.History;

/// <summary>Which task an event schedules or completes: the ids that tie results to their actions in replay and in de-duplication.</summary>
internal static class HistoryEventIds
{
    /// <summary>The task id an action event schedules, or -1 when the event is not an action.</summary>
    public static int ActionId(HistoryEvent e) => e switch
    {
        TaskScheduledEvent s => s.TaskId,
        TimerCreatedEvent t => t.TaskId,
        SubOrchestrationCreatedEvent c => c.TaskId,
        OrchestrationStartRequestedEvent r => r.TaskId,
        _ => -1,
    };

    /// <summary>The task id an event completes, or -1 when it completes none.</summary>
    public static int CompletionId(HistoryEvent e) => e switch
    {
        TaskCompletedEvent c => c.TaskScheduledId,
        TaskFailedEvent f => f.TaskScheduledId,
        TimerFiredEvent t => t.TimerId,
        SubOrchestrationCompletedEvent c => c.TaskScheduledId,
        SubOrchestrationFailedEvent f => f.TaskScheduledId,
        _ => -1,
    };
}
