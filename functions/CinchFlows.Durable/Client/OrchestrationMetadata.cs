using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Client;

/// <summary>What a client sees of an orchestration instance.</summary>
public sealed class OrchestrationMetadata
{
    internal OrchestrationMetadata(InstanceRecord record, bool includePayloads)
    {
        Name = record.Name;
        InstanceId = record.InstanceId;
        RuntimeStatus = record.RuntimeStatus;
        CreatedAt = record.CreatedTime;
        LastUpdatedAt = record.LastUpdatedTime;
        FailureDetails = record.Failure;
        WaitingFor = record.WaitingFor;
        WaitingSince = record.WaitingSince;
        ParentInstanceId = record.ParentInstanceId;
        if (includePayloads)
        {
            SerializedInput = record.Input;
            SerializedOutput = record.Output;
            SerializedCustomStatus = record.CustomStatus;
        }
    }

    /// <summary>The orchestration's name.</summary>
    public string Name { get; }

    /// <summary>The instance id.</summary>
    public string InstanceId { get; }

    /// <summary>Current status.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; }

    /// <summary>Input as JSON (when asked for).</summary>
    public string? SerializedInput { get; }

    /// <summary>Output as JSON (when asked for); for terminated instances the reason.</summary>
    public string? SerializedOutput { get; }

    /// <summary>Custom status as JSON (when asked for).</summary>
    public string? SerializedCustomStatus { get; }

    /// <summary>Why it failed.</summary>
    public TaskFailureDetails? FailureDetails { get; }

    /// <summary>What it waits for, in words.</summary>
    public string? WaitingFor { get; }

    /// <summary>Since when it waits.</summary>
    public DateTimeOffset? WaitingSince { get; }

    /// <summary>The parent, for sub-orchestrations.</summary>
    public string? ParentInstanceId { get; }

    /// <summary>True while pending, running or suspended.</summary>
    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended;

    /// <summary>True once completed, failed or terminated.</summary>
    public bool IsCompleted => !IsRunning;

    /// <summary>Reads the input as <typeparamref name="T"/>.</summary>
    public T? ReadInputAs<T>() => DurableJson.Deserialize<T>(SerializedInput);

    /// <summary>Reads the output as <typeparamref name="T"/>.</summary>
    public T? ReadOutputAs<T>() => DurableJson.Deserialize<T>(SerializedOutput);

    /// <summary>Reads the custom status as <typeparamref name="T"/>.</summary>
    public T? ReadCustomStatusAs<T>() => DurableJson.Deserialize<T>(SerializedCustomStatus);
}
