namespace CinchFlows.Durable.Worker;

/// <summary>A message reached an instance whose delayed start has not come yet.</summary>
internal sealed class StartNotDueException(string instanceId, DateTimeOffset startAt)
    : Exception($"Instance '{instanceId}' starts at {startAt:O}.")
{
    public DateTimeOffset StartAt { get; } = startAt;
}
