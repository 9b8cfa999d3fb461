using System.Text.Json.Serialization;

namespace CinchFlows.Durable.History;

/// <summary>One entry of an orchestration's event history; the orchestration is replayed from these.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(ExecutionStartedEvent), "executionStarted")]
[JsonDerivedType(typeof(OrchestratorStartedEvent), "orchestratorStarted")]
[JsonDerivedType(typeof(TaskScheduledEvent), "taskScheduled")]
[JsonDerivedType(typeof(TaskCompletedEvent), "taskCompleted")]
[JsonDerivedType(typeof(TaskFailedEvent), "taskFailed")]
[JsonDerivedType(typeof(TimerCreatedEvent), "timerCreated")]
[JsonDerivedType(typeof(TimerFiredEvent), "timerFired")]
[JsonDerivedType(typeof(EventRaisedEvent), "eventRaised")]
[JsonDerivedType(typeof(SubOrchestrationCreatedEvent), "subOrchestrationCreated")]
[JsonDerivedType(typeof(SubOrchestrationCompletedEvent), "subOrchestrationCompleted")]
[JsonDerivedType(typeof(SubOrchestrationFailedEvent), "subOrchestrationFailed")]
[JsonDerivedType(typeof(OrchestrationStartRequestedEvent), "orchestrationStartRequested")]
[JsonDerivedType(typeof(ExecutionCompletedEvent), "executionCompleted")]
[JsonDerivedType(typeof(ExecutionTerminatedEvent), "executionTerminated")]
[JsonDerivedType(typeof(ExecutionSuspendedEvent), "executionSuspended")]
[JsonDerivedType(typeof(ExecutionResumedEvent), "executionResumed")]
[JsonDerivedType(typeof(WakeUpEvent), "wakeUp")]
public abstract record HistoryEvent
{
    /// <summary>When the event was recorded.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Id of the message that brought the event, used to drop redeliveries.</summary>
    public string? MessageId { get; init; }
}

/// <summary>The orchestration was created.</summary>
public sealed record ExecutionStartedEvent(string Name, string? Input, string? ParentInstanceId = null, int? ParentTaskId = null) : HistoryEvent
{
    /// <summary>Tells this run of the instance id from an earlier one that was purged: messages meant for another run are dropped.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>The run of the parent that started this one (for sub-orchestrations).</summary>
    public string? ParentExecutionId { get; init; }
}

/// <summary>Marks the start of one replay episode; its timestamp is the orchestration's current time.</summary>
public sealed record OrchestratorStartedEvent : HistoryEvent;

/// <summary>The orchestration scheduled an activity.</summary>
public sealed record TaskScheduledEvent(int TaskId, string Name, string? Input) : HistoryEvent;

/// <summary>An activity returned.</summary>
public sealed record TaskCompletedEvent(int TaskScheduledId, string? Result) : HistoryEvent;

/// <summary>An activity threw.</summary>
public sealed record TaskFailedEvent(int TaskScheduledId, TaskFailureDetails Failure) : HistoryEvent;

/// <summary>The orchestration created a durable timer.</summary>
public sealed record TimerCreatedEvent(int TaskId, DateTimeOffset FireAt) : HistoryEvent;

/// <summary>A durable timer fired.</summary>
public sealed record TimerFiredEvent(int TimerId, DateTimeOffset FireAt) : HistoryEvent;

/// <summary>An external event arrived.</summary>
public sealed record EventRaisedEvent(string Name, string? Input) : HistoryEvent;

/// <summary>The orchestration started a sub-orchestration and waits for it.</summary>
public sealed record SubOrchestrationCreatedEvent(int TaskId, string Name, string InstanceId, string? Input) : HistoryEvent;

/// <summary>A sub-orchestration completed.</summary>
public sealed record SubOrchestrationCompletedEvent(int TaskScheduledId, string? Result) : HistoryEvent;

/// <summary>A sub-orchestration failed.</summary>
public sealed record SubOrchestrationFailedEvent(int TaskScheduledId, TaskFailureDetails Failure) : HistoryEvent;

/// <summary>The orchestration started another orchestration without waiting for it.</summary>
public sealed record OrchestrationStartRequestedEvent(int TaskId, string Name, string InstanceId, string? Input) : HistoryEvent;

/// <summary>The orchestration finished (completed, failed or terminated).</summary>
public sealed record ExecutionCompletedEvent(OrchestrationRuntimeStatus Status, string? Result, TaskFailureDetails? Failure) : HistoryEvent;

/// <summary>A client asked to terminate the instance.</summary>
public sealed record ExecutionTerminatedEvent(string? Reason) : HistoryEvent;

/// <summary>A client suspended the instance; events are held until it resumes.</summary>
public sealed record ExecutionSuspendedEvent(string? Reason) : HistoryEvent;

/// <summary>A client resumed a suspended instance.</summary>
public sealed record ExecutionResumedEvent(string? Reason) : HistoryEvent;

/// <summary>Asks a worker to look at an instance (after a start); never kept in history.</summary>
public sealed record WakeUpEvent : HistoryEvent;
