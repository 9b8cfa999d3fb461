namespace CinchFlows.Durable;

/// <summary>Untyped view of an activity, used by the runtime.</summary>
public interface ITaskActivity
{
    /// <summary>The input type.</summary>
    Type InputType { get; }

    /// <summary>The output type.</summary>
    Type OutputType { get; }

    /// <summary>Runs the activity with a deserialized input.</summary>
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}
