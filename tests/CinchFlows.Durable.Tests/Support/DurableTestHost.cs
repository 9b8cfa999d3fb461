using CinchFlows.Durable.Client;
using CinchFlows.Durable.Hosting;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.Durable.Tests.Support;

/// <summary>
/// The runtime on its in-memory store and a fake clock: tests start flows, drive the worker until nothing is left to do,
/// and move time forward to fire timers without waiting.
/// </summary>
internal sealed class DurableTestHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly List<OrchestrationWorker> extraWorkers = [];

    public DurableTestHost(Action<DurableTaskRegistry> register, Action<DurableTaskOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        collection.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddDurableTask(register).UseInMemoryStore();
        collection.Configure<DurableTaskOptions>(o => configure?.Invoke(o));
        services?.Invoke(collection);
        provider = collection.BuildServiceProvider();
        Store = (InMemoryOrchestrationStore)provider.GetRequiredService<IOrchestrationStore>();
        Client = provider.GetRequiredService<DurableTaskClient>();
        Worker = provider.GetRequiredService<OrchestrationWorker>();
        Metrics = provider.GetRequiredService<DurableMetrics>();
    }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public InMemoryOrchestrationStore Store { get; }

    public DurableTaskClient Client { get; }

    public OrchestrationWorker Worker { get; }

    public DurableMetrics Metrics { get; }

    public IServiceProvider Services => provider;

    /// <summary>A second worker on the same store, as another process would be.</summary>
    public OrchestrationWorker NewWorker()
    {
        var worker = ActivatorUtilities.CreateInstance<OrchestrationWorker>(provider);
        extraWorkers.Add(worker);
        return worker;
    }

    /// <summary>Handles every visible message and all work it causes, until the queue has nothing visible.</summary>
    public async Task RunUntilIdleAsync(OrchestrationWorker? worker = null)
    {
        worker ??= Worker;
        for (var round = 0; round < 10_000; round++)
        {
            var received = await worker.PollOnceAsync(CancellationToken.None);
            await worker.WhenIdleAsync();
            if (received == 0 && worker.BackgroundWorkCount == 0)
            {
                return;
            }
        }

        throw new InvalidOperationException("The worker never went idle.");
    }

    /// <summary>Moves the clock and runs what became due, sweeping every sweep interval as a running host does (parked timers go on the queue as they come due).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var interval = Services.GetRequiredService<IOptions<DurableTaskOptions>>().Value.SweepInterval;
        var end = Time.GetUtcNow() + by;
        while (Time.GetUtcNow() < end)
        {
            var left = end - Time.GetUtcNow();
            Time.Advance(left < interval ? left : interval);
            await Worker.SweepAsync(CancellationToken.None);
            await RunUntilIdleAsync();
        }
    }

    public async Task<string> StartAsync(string name, object? input = null, string? instanceId = null)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId));
        await RunUntilIdleAsync();
        return id;
    }

    public async Task<OrchestrationMetadata> GetAsync(string instanceId) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"No instance {instanceId}");

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in extraWorkers)
        {
            worker.Dispose();
        }

        await provider.DisposeAsync();
    }
}
