namespace CinchFlows.Flows.Tests.Support;

/// <summary>One open <c>WaitForExternalEvent&lt;T&gt;</c> of a mocked orchestration context.</summary>
internal abstract class EventWaiter
{
    public abstract Task Task { get; }

    public static EventWaiter Create(Type payloadType) =>
        (EventWaiter)Activator.CreateInstance(typeof(EventWaiter<>).MakeGenericType(payloadType))!;

    /// <summary>Completes the wait; false when it was already cancelled.</summary>
    public abstract bool TryDeliver(object? payload);

    public abstract void Cancel(CancellationToken token);
}
