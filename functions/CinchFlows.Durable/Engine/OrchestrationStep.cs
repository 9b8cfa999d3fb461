using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Engine;

/// <summary>What one replay episode decided: the events to append, the messages to send and the new status.</summary>
internal sealed record OrchestrationStep
{
    /// <summary>Events to append to history (the delivered new events, then the new actions, then completion).</summary>
    public required IReadOnlyList<HistoryEvent> NewEvents { get; init; }

    /// <summary>Messages to send (activities, timers, children, parent notification).</summary>
    public required IReadOnlyList<WorkMessage> Messages { get; init; }

    /// <summary>Status after the step.</summary>
    public required OrchestrationRuntimeStatus Status { get; init; }

    /// <summary>Serialized output when completed; the reason when terminated.</summary>
    public string? Output { get; init; }

    /// <summary>Why it failed.</summary>
    public TaskFailureDetails? Failure { get; init; }

    /// <summary>Serialized custom status.</summary>
    public string? CustomStatus { get; init; }

    /// <summary>What the instance waits for, in words; null when finished.</summary>
    public string? WaitingFor { get; init; }

    /// <summary>The earliest open timer.</summary>
    public DateTimeOffset? NextTimerAt { get; init; }
}
