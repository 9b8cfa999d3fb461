namespace CinchFlows.Flows.Tests.Support;

/// <summary>A durable timer created on the mocked context.</summary>
/// <param name="FireAt">When it fires.</param>
/// <param name="CreatedAt">The orchestration's time when it was created.</param>
internal sealed record PendingTimer(DateTime FireAt, DateTime CreatedAt)
{
    public TaskCompletionSource Source { get; } = new();

    public bool IsPending => !Source.Task.IsCompleted;

    public bool IsCancelled => Source.Task.IsCanceled;
}
