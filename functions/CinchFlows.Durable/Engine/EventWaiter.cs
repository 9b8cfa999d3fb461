namespace CinchFlows.Durable.Engine;

/// <summary>Code waiting for an external event by name.</summary>
internal sealed class EventWaiter(string name)
{
    public string Name { get; } = name;

    public TaskCompletionSource<string?> Completion { get; } = new();
}
