using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage;

/// <summary>The status row of one orchestration instance. It is rewritten by every step, together with that step's history and outbox.</summary>
public sealed record InstanceRecord
{
    /// <summary>The instance id (also the storage partition).</summary>
    public required string InstanceId { get; init; }

    /// <summary>The orchestration's name.</summary>
    public required string Name { get; init; }

    /// <summary>Current status.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>Serialized input.</summary>
    public string? Input { get; init; }

    /// <summary>Serialized output once completed, or the termination reason.</summary>
    public string? Output { get; init; }

    /// <summary>Serialized custom status set by the orchestration.</summary>
    public string? CustomStatus { get; init; }

    /// <summary>Why the instance failed.</summary>
    public TaskFailureDetails? Failure { get; init; }

    /// <summary>When the instance was created.</summary>
    public DateTimeOffset CreatedTime { get; init; }

    /// <summary>When the instance last changed.</summary>
    public DateTimeOffset LastUpdatedTime { get; init; }

    /// <summary>Parent orchestration, for sub-orchestrations.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>Number of history chunks (one per committed step); the next chunk's index.</summary>
    public int HistoryChunks { get; init; }

    /// <summary>Number of history events over all chunks.</summary>
    public int HistoryEventCount { get; init; }

    /// <summary>Messages committed with the last steps that may not have been dispatched yet (the outbox).</summary>
    public IReadOnlyList<WorkMessage> Outbox { get; init; } = [];

    /// <summary>Outbox entries waiting to be sent: all but the <see cref="WorkMessage.Parked"/> timers.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int DispatchableOutboxCount => Outbox.Count(m => !m.Parked);

    /// <summary>The earliest durable timer the instance waits on, if any (lets a restarted worker wake up on time).</summary>
    public DateTimeOffset? NextTimerAt { get; init; }

    /// <summary>What the instance waits for, in words ("event 'TransferConnected' or timer at 10:42:05Z").</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Since when it waits.</summary>
    public DateTimeOffset? WaitingSince { get; init; }

    /// <summary>For a delayed start: the code does not run before this time.</summary>
    public DateTimeOffset? ScheduledStartTime { get; init; }

    /// <summary>True once completed, failed or terminated.</summary>
    public bool IsTerminal => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
