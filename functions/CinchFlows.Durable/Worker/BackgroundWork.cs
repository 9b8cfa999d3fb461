namespace CinchFlows.Durable.Worker;

/// <summary>Counts work the worker runs in the background (local activities, held timers) so tests and shutdown can wait for it.</summary>
internal sealed class BackgroundWork
{
    private readonly Lock gate = new();
    private int running;
    private TaskCompletionSource idle = CompletedSource();

    public int Running
    {
        get
        {
            lock (gate)
            {
                return running;
            }
        }
    }

    public void Start()
    {
        lock (gate)
        {
            if (running++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Done()
    {
        TaskCompletionSource? release = null;
        lock (gate)
        {
            if (--running == 0)
            {
                release = idle;
            }
        }

        release?.TrySetResult();
    }

    public Task WhenIdleAsync()
    {
        lock (gate)
        {
            return idle.Task;
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
