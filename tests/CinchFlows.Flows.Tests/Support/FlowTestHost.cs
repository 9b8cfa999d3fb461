using System.Text.Json;
using CinchFlows.Durable;
using CinchFlows.Durable.Client;
using CinchFlows.Durable.Hosting;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Worker;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>
/// The three flows on the runtime's in-memory store with a fake clock; the telephony platform and the broker are
/// recording fakes. Tests start flows through the real <see cref="CallCenterFlowClient"/>, run the worker until
/// nothing is left, and move time to fire timers.
/// </summary>
internal sealed class FlowTestHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    public FlowTestHost(IDictionary<string, string?>? settings = null, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(Time);
        services.AddDurableTask(r => r.AddCallCenterFlows()).UseInMemoryStore();
        services.AddCallCenterFlows(inMemory: true);
        services.AddSingleton<ITelephonyCommands>(Telephony);
        services.AddSingleton<INotificationPublisher>(Notifications);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Client = provider.GetRequiredService<DurableTaskClient>();
        Flows = provider.GetRequiredService<CallCenterFlowClient>();
        Callbacks = provider.GetRequiredService<CallbackTaskClient>();
        Worker = provider.GetRequiredService<OrchestrationWorker>();
        Store = (InMemoryOrchestrationStore)provider.GetRequiredService<IOrchestrationStore>();
    }

    public FakeTimeProvider Time { get; }

    public RecordingTelephony Telephony { get; } = new();

    public RecordingPublisher Notifications { get; } = new();

    public DurableTaskClient Client { get; }

    public CallCenterFlowClient Flows { get; }

    public CallbackTaskClient Callbacks { get; }

    public OrchestrationWorker Worker { get; }

    public InMemoryOrchestrationStore Store { get; }

    public IServiceProvider Services => provider;

    public DateTime UtcNow => Time.GetUtcNow().UtcDateTime;

    /// <summary>Handles every visible message and the work it causes until nothing is visible.</summary>
    public async Task RunUntilIdleAsync()
    {
        for (var round = 0; round < 10_000; round++)
        {
            var received = await Worker.PollOnceAsync(CancellationToken.None);
            await Worker.WhenIdleAsync();
            if (received == 0 && Worker.BackgroundWorkCount == 0)
            {
                return;
            }
        }

        throw new InvalidOperationException("The worker never went idle.");
    }

    /// <summary>Moves the clock in steps of at most <paramref name="step"/> (so retries' back-off timers fire in order) and runs what became due.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? TimeSpan.FromMinutes(1);
        while (by > TimeSpan.Zero)
        {
            var next = by < stride ? by : stride;
            Time.Advance(next);
            by -= next;

            // A running host sweeps every 30 s: parked timers go on the queue as they come due.
            await Worker.SweepAsync(CancellationToken.None);
            await RunUntilIdleAsync();
        }
    }

    public async Task<OrchestrationMetadata> GetAsync(string instanceId) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"No instance {instanceId}");

    public async Task<T> OutputAsync<T>(string instanceId)
    {
        var instance = await GetAsync(instanceId);
        Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instanceId} is {instance.RuntimeStatus}: {instance.SerializedOutput} {instance.FailureDetails?.ErrorMessage}");
        return DurableJson.Deserialize<T>(instance.SerializedOutput)!;
    }

    public async Task<FlowStatus> StatusAsync(string instanceId) =>
        DurableJson.Deserialize<FlowStatus>((await GetAsync(instanceId)).SerializedCustomStatus) ?? throw new InvalidOperationException("no custom status");

    /// <summary>Every JSON text the store holds: inputs, outputs, statuses and history of every instance.</summary>
    public async Task<string> EverythingStoredAsync()
    {
        var texts = new List<string>();
        await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            texts.Add(JsonSerializer.Serialize(instance));
            foreach (var e in await Client.GetHistoryAsync(instance.InstanceId) ?? [])
            {
                texts.Add(JsonSerializer.Serialize(e, e.GetType(), DurableJson.Options));
            }
        }

        return string.Join('\n', texts);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
