namespace CinchFlows.Flows.Tests.Support;

/// <summary>A typed <see cref="EventWaiter"/>.</summary>
internal sealed class EventWaiter<T> : EventWaiter
{
    private readonly TaskCompletionSource<T> source = new();

    public override Task Task => source.Task;

    public override bool TryDeliver(object? payload) => source.TrySetResult((T)payload!);

    public override void Cancel(CancellationToken token) => source.TrySetCanceled(token);
}
