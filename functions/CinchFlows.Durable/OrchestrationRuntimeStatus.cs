namespace CinchFlows.Durable;

/// <summary>Where an orchestration instance is in its life; names match Durable Functions'.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Created, not yet picked up by a worker.</summary>
    Pending,

    /// <summary>Started and not finished.</summary>
    Running,

    /// <summary>Finished with an output.</summary>
    Completed,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Stopped by a client.</summary>
    Terminated,

    /// <summary>Held by a client; events wait until it resumes.</summary>
    Suspended,
}
