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
}
