using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage;

/// <summary>An instance as loaded from the store: its status row, its whole history, and the ETag that guards the next commit.</summary>
public sealed record InstanceSnapshot(InstanceRecord Record, IReadOnlyList<HistoryEvent> History, string ETag);
