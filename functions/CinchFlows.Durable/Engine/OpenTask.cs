namespace CinchFlows.Durable.Engine;

/// <summary>A durable task the code is waiting on: an activity, a timer, a sub-orchestration.</summary>
internal sealed class OpenTask(int id, OpenTaskKind kind, string name, DateTimeOffset? fireAt = null)
{
    public int Id { get; } = id;

    public OpenTaskKind Kind { get; } = kind;

    public string Name { get; } = name;

    public DateTimeOffset? FireAt { get; } = fireAt;

    public TaskCompletionSource<string?> Completion { get; } = new();

    public bool IsAbandoned => Completion.Task.IsCompleted;
}

/// <summary>Kinds of <see cref="OpenTask"/>.</summary>
internal enum OpenTaskKind
{
    Activity,
    Timer,
    SubOrchestration,
}
