using System.Globalization;

namespace CinchFlows.Durable;

/// <summary>What an activity knows about the call that runs it.</summary>
public sealed class TaskActivityContext
{
    internal TaskActivityContext(string name, string instanceId, int taskId, CancellationToken cancellationToken)
    {
        Name = name;
        InstanceId = instanceId;
        TaskId = taskId;
        CancellationToken = cancellationToken;
    }

    /// <summary>The activity's name.</summary>
    public string Name { get; }

    /// <summary>The orchestration instance that scheduled it.</summary>
    public string InstanceId { get; }

    /// <summary>The task's id in that instance's history.</summary>
    public int TaskId { get; }

    /// <summary>Signalled when the worker shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// A key that is the same every time this scheduled task runs (redelivery, crash recovery) and differs between
    /// tasks: "{instanceId}:{taskId}". Retries with a <see cref="RetryPolicy"/> are new tasks; an activity that must act
    /// once across its retries takes a key from its input instead.
    /// </summary>
    public string IdempotencyKey => string.Create(CultureInfo.InvariantCulture, $"{InstanceId}:{TaskId}");
}
