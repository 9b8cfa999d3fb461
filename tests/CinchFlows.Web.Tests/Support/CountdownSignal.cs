namespace CinchFlows.Web.Tests.Support;

/// <summary>Completes <see cref="All"/> once <see cref="Signal"/> has been called the given number of times.</summary>
internal sealed class CountdownSignal(int count)
{
    private int remaining = count;

    public TaskCompletionSource All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Signal()
    {
        if (Interlocked.Decrement(ref remaining) == 0)
        {
            All.TrySetResult();
        }
    }
}
