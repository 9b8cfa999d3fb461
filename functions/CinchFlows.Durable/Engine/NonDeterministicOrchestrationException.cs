namespace CinchFlows.Durable.Engine;

/// <summary>The orchestration's code no longer matches its recorded history (it was changed while instances ran).</summary>
internal sealed class NonDeterministicOrchestrationException(string message) : Exception(message);
