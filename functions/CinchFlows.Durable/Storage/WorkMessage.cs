using System.Text.Json.Serialization;
using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage;

/// <summary>What a work message asks a worker to do.</summary>
public enum WorkMessageKind
{
    /// <summary>Add <see cref="WorkMessage.Event"/> to the instance's history and run a step.</summary>
    Orchestration,

    /// <summary>Run the activity in <see cref="WorkMessage.Event"/> (a <see cref="TaskScheduledEvent"/>) and report back.</summary>
    Activity,
}

/// <summary>A message on the runtime's work queue. <see cref="Id"/> is stable across redelivery and re-dispatch; receivers drop repeats.</summary>
public sealed record WorkMessage(string Id, WorkMessageKind Kind, string InstanceId, HistoryEvent Event)
{
    /// <summary>When the message may first be received (durable timers); null means now.</summary>
    public DateTimeOffset? VisibleAt { get; init; }

    /// <summary>
    /// The run of the target instance this message belongs to (see <see cref="ExecutionStartedEvent.ExecutionId"/>);
    /// null for messages from clients, which go to whatever run has the id.
    /// </summary>
    public string? ExecutionId { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the span that sent this message, so its receiver's span joins the same trace.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    /// <summary>
    /// True in an outbox entry whose input was left out because the instance's history holds it (an activity's
    /// <see cref="TaskScheduledEvent"/>, a child's <see cref="SubOrchestrationCreatedEvent"/>): the status row stays small
    /// however large the inputs of the work in flight. The sweeper puts the input back before re-sending.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool InputInHistory { get; init; }

    /// <summary>
    /// True in an outbox entry of a durable timer that was due far off when committed: it is not put on the queue then,
    /// but by the sweeper once the instance's <see cref="InstanceRecord.NextTimerAt"/> comes near, so flows waiting for
    /// minutes or days hold no queue messages (docs/durable-runtime.md, "Timers").
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Parked { get; init; }

    /// <summary>The outbox form of this message: without the input when history holds it.</summary>
    public WorkMessage ForOutbox() => Event switch
    {
        TaskScheduledEvent { Input: not null } s => this with { Event = s with { Input = null }, InputInHistory = true },
        ExecutionStartedEvent { Input: not null, ParentTaskId: not null } s => this with { Event = s with { Input = null }, InputInHistory = true },
        _ => this,
    };

    /// <summary>The sendable form of an outbox entry, its input taken back from the sending instance's history.</summary>
    public WorkMessage WithInputFrom(IReadOnlyList<HistoryEvent> senderHistory) => !InputInHistory ? this : Event switch
    {
        TaskScheduledEvent s => this with { Event = s with { Input = senderHistory.OfType<TaskScheduledEvent>().First(h => h.TaskId == s.TaskId).Input }, InputInHistory = false },
        ExecutionStartedEvent s => this with { Event = s with { Input = senderHistory.OfType<SubOrchestrationCreatedEvent>().First(h => h.TaskId == s.ParentTaskId).Input }, InputInHistory = false },
        _ => this with { InputInHistory = false },
    };
}
