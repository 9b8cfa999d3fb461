using CinchFlows.Durable.History;

namespace CinchFlows.Durable;

/// <summary>Thrown into orchestration code when an activity or sub-orchestration it awaited failed.</summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception for a failed task.</summary>
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed: {failureDetails?.ErrorType}: {failureDetails?.ErrorMessage}")
    {
        ArgumentNullException.ThrowIfNull(failureDetails);
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    /// <summary>Name of the activity or orchestration that failed.</summary>
    public string TaskName { get; }

    /// <summary>The history id of the failed task.</summary>
    public int TaskId { get; }

    /// <summary>What went wrong inside the task.</summary>
    public TaskFailureDetails FailureDetails { get; }
}
