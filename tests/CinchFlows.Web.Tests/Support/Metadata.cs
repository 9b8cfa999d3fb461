using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Support;

/// <summary>Makes <see cref="OrchestrationMetadata"/> as the Durable Task client returns it.</summary>
internal static class Metadata
{
    public static readonly DateTimeOffset Created = new(2025, 1, 31, 9, 0, 0, TimeSpan.Zero);

    public static OrchestrationMetadata Create(
        OrchestrationRuntimeStatus status,
        string? input = null,
        string? output = null,
        string? customStatus = null,
        TaskFailureDetails? failure = null) =>
        new("ApproveOrder", "order-42")
        {
            RuntimeStatus = status,
            SerializedInput = input,
            SerializedOutput = output,
            SerializedCustomStatus = customStatus,
            FailureDetails = failure,
            CreatedAt = Created,
            LastUpdatedAt = Created.AddMinutes(5),
        };
}
