using CinchFlows.Durable;
using CinchFlows.Durable.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.IntegrationTests.Storage;

/// <summary>The store contract against the in-memory reference store, on a fake clock (no waiting).</summary>
public sealed class InMemoryStoreContractTests : OrchestrationStoreContract
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private InMemoryOrchestrationStore? store;

    /// <inheritdoc/>
    protected override TimeProvider Time => time;

    /// <inheritdoc/>
    protected override IOrchestrationStore CreateStore(DurableMetrics metrics) => store = new InMemoryOrchestrationStore(time, metrics);

    /// <inheritdoc/>
    protected override Task LetTimePassAsync(TimeSpan step)
    {
        time.Advance(step);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override Task SendRawAsync(string body)
    {
        store!.SendRaw(body);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override Task<int> WorkQueueLengthAsync() => Task.FromResult(store!.QueueLength);
}
