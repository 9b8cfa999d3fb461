using System.Collections.Concurrent;
using CinchFlows.DurableHub;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Engine;

/// <summary>A plain host with only the engine (the in-process hub on Azurite, worker and client) and a few test tasks.</summary>
internal sealed class HubHost : IAsyncDisposable
{
    private readonly IHost host;

    private readonly string taskHub;

    private HubHost(IHost host, string taskHub)
    {
        this.host = host;
        this.taskHub = taskHub;
    }

    /// <summary>Activity runs by instance id, across every host of the test (activities run at least once; tests count).</summary>
    public static ConcurrentDictionary<string, int> Runs { get; } = new(StringComparer.Ordinal);

    /// <summary>Released when a <c>HoldStep</c> flow's step has begun.</summary>
    public static SemaphoreSlim StepHeld { get; } = new(0);

    /// <summary>What a <c>HoldStep</c> flow's step waits for.</summary>
    public static SemaphoreSlim StepGate { get; } = new(0);

    public DurableTaskClient Client => host.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => host.Services;

    /// <param name="settings">More configuration (e.g. <c>Durable:*</c> tuning), over the defaults above.</param>
    public static async Task<HubHost> StartAsync(string connectionString, string taskHub, string workerId = "test-worker", Action<DurableTaskRegistry>? tasks = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Durable:TaskHubName"] = taskHub,
            ["Durable:WorkerId"] = workerId,
            ["Durable:PartitionCount"] = "2",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(EngineLog.Of(taskHub));
        builder.Logging.AddFilter((category, level) => EngineLog.Keeps(category, level));
        builder.Services.AddDurableHub(builder.Configuration, tasks ?? Register);
        var host = builder.Build();
        await host.StartAsync();
        return new HubHost(host, taskHub);
    }

    /// <summary>The test tasks: an activity that counts its runs, a parent with a child, and a flow that waits for an event.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddActivityFunc<string, string>("Count", (context, input) =>
        {
            Runs.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1);
            return "counted:" + input;
        });
        registry.AddOrchestratorFunc<string, string>("OneActivity", (context, input) => context.CallActivityAsync<string>("Count", input));
        registry.AddOrchestratorFunc<string, string>("Child", (context, input) => Task.FromResult("child:" + input));
        registry.AddOrchestratorFunc<string, string>("Parent", async (context, input) =>
        {
            var child = await context.CallSubOrchestratorAsync<string>("Child", input, new SubOrchestrationOptions(instanceId: context.InstanceId + "-child")
            {
                Tags = new Dictionary<string, string> { ["flow"] = "test" },
            });

            // Loaded again from storage after the child completes: the parent's history must still be readable.
            var go = await context.WaitForExternalEvent<string>("go");
            return child + "|" + go;
        });
        registry.AddOrchestratorFunc<int, string>("Sleep", async (context, seconds) =>
        {
            await context.CreateTimer(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            return "awake";
        });
        registry.AddOrchestratorFunc<string, string>("WaitForGo", (context, input) => context.WaitForExternalEvent<string>("go"));
        registry.AddOrchestratorFunc<string, string>("HoldStep", (context, input) =>
        {
            // Keeps its first step open (the hub holds the flow's session meanwhile) until a test lets it go.
            StepHeld.Release();
            StepGate.Wait(TimeSpan.FromSeconds(30));
            return Task.FromResult("done");
        });
        registry.AddOrchestratorFunc<string, string>("TimerOrGo", async (context, input) =>
        {
            // Step #0 is the timer: which of the two ended the wait is the output.
            using var cancel = new CancellationTokenSource();
            var timer = context.CreateTimer(TimeSpan.FromHours(1), cancel.Token);
            var go = context.WaitForExternalEvent<string>("go");
            if (await Task.WhenAny(timer, go) == timer)
            {
                return "timer";
            }

            cancel.Cancel();
            return "go:" + go.Result;
        });
        registry.AddOrchestratorFunc<int, DateTime>("SleepUntilDue", async (context, seconds) =>
        {
            // Returns the timer's due time, so a test can tell how late the step that took it in was committed.
            var due = context.CurrentUtcDateTime.AddSeconds(seconds);
            await context.CreateTimer(due, CancellationToken.None);
            return due;
        });
    }

    public async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, TimeSpan timeout)
    {
        OrchestrationMetadata? last = null;
        await Infrastructure.Eventually.WaitUntilAsync(
            async () =>
            {
                last = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
                return last is not null && condition(last);
            },
            timeout,
            () => $"instance {instanceId} (last seen: {last?.RuntimeStatus.ToString() ?? "none"}); the engine's last lines on this task hub:\n{EngineLog.Tail(taskHub)}");
        return last!;
    }

    public Task StopAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
