namespace CinchFlows.Durable;

/// <summary>Untyped view of an orchestration, used by the runtime.</summary>
public interface ITaskOrchestrator
{
    /// <summary>The input type.</summary>
    Type InputType { get; }

    /// <summary>The output type.</summary>
    Type OutputType { get; }

    /// <summary>Runs the orchestration with a deserialized input.</summary>
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}
