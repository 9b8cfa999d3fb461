using CinchFlows.Durable;
using CinchFlows.Durable.Client;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Worker;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.Functions.Tests.Support;

/// <summary>Makes <see cref="OrchestrationMetadata"/> the way the app gets it: a record in the in-memory store, read back through the client.</summary>
internal static class Metadata
{
    public static readonly DateTimeOffset Created = new(2025, 1, 31, 9, 0, 0, TimeSpan.Zero);

    public static async Task<(OrchestrationMetadata Instance, IReadOnlyList<HistoryEvent> History)> CreateAsync(
        OrchestrationRuntimeStatus status,
        string? input = null,
        string? output = null,
        string? customStatus = null,
        TaskFailureDetails? failure = null,
        string? waitingFor = null,
        DateTimeOffset? waitingSince = null,
        params HistoryEvent[] history)
    {
        var time = new FakeTimeProvider(Created);
        var metrics = new DurableMetrics();
        var store = new InMemoryOrchestrationStore(time, metrics);
        var record = new InstanceRecord
        {
            InstanceId = "order-42",
            Name = "ApproveOrder",
            RuntimeStatus = status,
            Input = input,
            Output = output,
            CustomStatus = customStatus,
            Failure = failure,
            CreatedTime = Created,
            LastUpdatedTime = Created.AddMinutes(5),
            WaitingFor = waitingFor,
            WaitingSince = waitingSince,
            HistoryChunks = history.Length == 0 ? 0 : 1,
            HistoryEventCount = history.Length,
        };
        var outcome = await store.CommitAsync(new InstanceCommit(record, history, null), CancellationToken.None);
        Assert.True(outcome.Succeeded);
        var client = new DurableTaskClient(store, time, new WorkSignal());
        var instance = await client.GetInstanceAsync(record.InstanceId, getInputsAndOutputs: true);
        var events = await client.GetHistoryAsync(record.InstanceId);
        return (instance!, events!);
    }
}
