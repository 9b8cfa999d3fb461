using CinchFlows.Durable.History;

namespace CinchFlows.Durable.Storage;

/// <summary>One atomic step: the new status row (with its outbox) and the history events the step added.</summary>
/// <param name="Record">The new status row. Its <see cref="InstanceRecord.HistoryChunks"/> is already advanced past the new chunk.</param>
/// <param name="NewEvents">Events appended by this step, written as history chunk <c>Record.HistoryChunks - 1</c>; empty writes no chunk.</param>
/// <param name="ExpectedETag">The ETag the step was computed from; null creates the instance and fails if it exists.</param>
public sealed record InstanceCommit(InstanceRecord Record, IReadOnlyList<HistoryEvent> NewEvents, string? ExpectedETag);
