using CinchFlows.Durable.Client;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Tests.Support;
using CinchFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Tests;

/// <summary>Starts made by this process's client, handed to this process's worker instead of the work queue.</summary>
public sealed class LocalStartTests
{
    [Fact]
    public async Task A_start_handed_to_the_local_worker_runs_without_the_queue_in_three_storage_requests()
    {
        await using var host = NewHost();
        using var attached = Attach(host);
        var before = host.Metrics.StorageRequests;

        var started = await host.Client.StartAsync(nameof(ReliabilityTests.TwoSteps), null, new StartOrchestrationOptions("local-1"));
        await host.Worker.WhenIdleAsync();
        var requests = host.Metrics.StorageRequests - before;

        Assert.True(started.Created);
        var status = await host.GetAsync("local-1");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("done", status.ReadOutputAs<string>());

        // The client's create, the first step's commit and the activity result's commit: no send, receive, read or delete.
        Assert.Equal(3, requests);
        Assert.Empty((await host.Store.GetRecordAsync("local-1", CancellationToken.None))!.Outbox);
        Assert.Empty(await host.Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_local_worker_the_start_goes_through_the_queue()
    {
        await using var host = NewHost();

        await host.Client.StartAsync(nameof(ReliabilityTests.TwoSteps), null, new StartOrchestrationOptions("queued-1"));
        await host.Worker.WhenIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.GetAsync("queued-1")).RuntimeStatus);
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("queued-1")).RuntimeStatus);
    }

    [Fact]
    public async Task A_stopping_worker_takes_no_local_start_and_another_worker_runs_it_from_the_queue()
    {
        await using var host = NewHost();
        using var attached = Attach(host);
        host.Worker.BeginDrain();

        await host.Client.StartAsync(nameof(ReliabilityTests.TwoSteps), null, new StartOrchestrationOptions("draining-1"));

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.GetAsync("draining-1")).RuntimeStatus);
        await host.RunUntilIdleAsync(host.NewWorker());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("draining-1")).RuntimeStatus);
    }

    [Fact]
    public async Task A_delayed_start_waits_on_the_queue_not_in_memory()
    {
        await using var host = NewHost();
        using var attached = Attach(host);

        await host.Client.StartAsync(nameof(ReliabilityTests.TwoSteps), null, new StartOrchestrationOptions("later-1") { StartAt = host.Time.GetUtcNow().AddMinutes(10) });
        await host.Worker.WhenIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.GetAsync("later-1")).RuntimeStatus);
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("later-1")).RuntimeStatus);
    }

    [Fact]
    public async Task A_local_start_whose_step_dies_is_recovered_from_the_outbox_by_the_sweeper()
    {
        var outage = new StorageOutage();
        await using var host = NewHost(outage);
        outage.Store = host.Store;
        using var attached = Attach(host);

        // The orchestration's first run takes storage away, so the local step can neither commit nor fall back to the
        // queue: as if the process died between the client's create and the first step.
        await host.Client.StartAsync(nameof(BreaksStorageOnce), null, new StartOrchestrationOptions("dies-1"));
        await host.Worker.WhenIdleAsync();
        host.Store.Unavailable = false;
        var stuck = (await host.Store.GetRecordAsync("dies-1", CancellationToken.None))!;
        Assert.Equal(OrchestrationRuntimeStatus.Pending, stuck.RuntimeStatus);
        Assert.Single(stuck.Outbox);

        var restarted = host.NewWorker();
        host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await restarted.SweepAsync(CancellationToken.None));
        await host.RunUntilIdleAsync(restarted);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("dies-1")).RuntimeStatus);
    }

    [Fact]
    public async Task Local_starts_beyond_the_worker_s_slots_go_through_the_queue()
    {
        var hold = new Hold();
        await using var host = NewHost(hold);
        using var attached = Attach(host);
        host.Worker.MaxLocalStarts = 2;

        // Each first step waits inside the orchestration's code, so the local slots stay taken.
        for (var i = 0; i < 5; i++)
        {
            await host.Client.StartAsync(nameof(WaitsOnHold), null, new StartOrchestrationOptions($"burst-{i}"));
        }

        var queued = await host.Store.ReceiveAsync(32, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(3, queued.Count);
        hold.Release.SetResult();
        await host.Worker.WhenIdleAsync();
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await host.RunUntilIdleAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync($"burst-{i}")).RuntimeStatus);
        }
    }

    private static DurableTestHost NewHost(object? service = null) => new(
        r => r.AddOrchestrator<ReliabilityTests.TwoSteps>().AddActivity<ReliabilityTests.Noop>().AddOrchestrator<BreaksStorageOnce>().AddOrchestrator<WaitsOnHold>(),
        o => o.OutboxRecoveryAfter = TimeSpan.FromSeconds(60),
        s =>
        {
            if (service is not null)
            {
                s.AddSingleton(service.GetType(), service);
            }
        });

    private static IDisposable Attach(DurableTestHost host) =>
        host.Services.GetRequiredService<LocalStarts>().Attach(host.Worker, admission: null);

    internal sealed class StorageOutage
    {
        public InMemoryOrchestrationStore? Store { get; set; }

        public bool Done { get; set; }
    }

    internal sealed class Hold
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal sealed class BreaksStorageOnce(StorageOutage outage) : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            if (!outage.Done)
            {
                outage.Done = true;
                outage.Store!.Unavailable = true;
            }

            return Task.FromResult("done");
        }
    }

    internal sealed class WaitsOnHold(Hold hold) : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            // Blocks the step's thread (not a durable wait) until the test releases it.
            hold.Release.Task.Wait();
            return Task.FromResult("done");
        }
    }
}
