namespace CinchFlows.Durable.Worker;

/// <summary>Placeholder while the engine is written.</summary>
public sealed class OrchestrationWorker
{
}
