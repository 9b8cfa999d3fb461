using CinchFlows.Durable.Client;
using CinchFlows.Durable.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Tests;

public sealed class LongActivityTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_activity_running_for_twelve_minutes_is_kept_hidden_and_its_flow_completes(bool runLocally)
    {
        var gate = new Gate();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<OneActivity>().AddActivity<Blocking>(), o => o.RunActivitiesLocally = runLocally, s => s.AddSingleton(gate));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(OneActivity), null, new StartOrchestrationOptions("long-1"));
        await host.Worker.PollOnceAsync(CancellationToken.None);

        for (var i = 0; i < 72; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(10));
            await host.Worker.SweepAsync(CancellationToken.None);
            await host.Worker.PollOnceAsync(CancellationToken.None);
        }

        var running = await host.GetAsync("long-1");
        gate.Open.SetResult();
        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("long-1")).RuntimeStatus);
        Assert.InRange(gate.Runs, 1, runLocally ? 2 : 1);
        Assert.Empty(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_burst_of_large_jobs_running_at_once_keeps_the_status_row_small_and_completes()
    {
        var gate = new Gate();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<JobPerEvent>().AddActivity<Blocking>(), services: s => s.AddSingleton(gate));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(JobPerEvent), null, new StartOrchestrationOptions("burst"));
        await host.Worker.PollOnceAsync(CancellationToken.None);
        for (var i = 0; i < 12; i++)
        {
            await host.Client.RaiseEventAsync("burst", "job", new string('j', 40_000));
        }

        await host.Worker.PollOnceAsync(CancellationToken.None);
        var record = (await host.Store.GetRecordAsync("burst", CancellationToken.None))!;
        Assert.Equal(12, gate.Runs);
        Assert.Equal(12, record.Outbox.Count);
        Assert.All(record.Outbox, m => Assert.True(m.InputInHistory));

        gate.Open.SetResult();
        await host.Client.RaiseEventAsync("burst", "job", "done");
        await host.RunUntilIdleAsync();
        Assert.Equal(12 * 40_000, (await host.GetAsync("burst")).ReadOutputAs<int>());
    }

    [Fact]
    public async Task An_activity_recovered_by_the_sweeper_gets_its_input_back_from_history()
    {
        var gate = new Gate();
        gate.Open.SetResult();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<JobPerEvent>().AddActivity<Blocking>(), services: s => s.AddSingleton(gate));
        await host.StartAsync(nameof(JobPerEvent), null, "recover-input");
        host.Worker.SkipDispatchAfterCommit = true;
        await host.Client.RaiseEventAsync("recover-input", "job", "abcdef");
        await host.RunUntilIdleAsync();
        Assert.Equal(0, gate.Runs);

        var restarted = host.NewWorker();
        host.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await restarted.SweepAsync(CancellationToken.None));
        await host.RunUntilIdleAsync(restarted);
        await host.Client.RaiseEventAsync("recover-input", "job", "done");
        await host.RunUntilIdleAsync(restarted);

        Assert.Equal(6, (await host.GetAsync("recover-input")).ReadOutputAs<int>());
    }

    [Fact]
    public async Task With_every_slot_busy_the_poll_loop_keeps_going_and_keeps_waiting_work_hidden()
    {
        var gate = new Gate();
        await using var host = QueuedActivityHost(gate, slots: 1, r => r.AddOrchestrator<TwoLong>().AddOrchestrator<OneActivity>().AddActivity<Blocking>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TwoLong), null, new StartOrchestrationOptions("slots"));
        await host.Worker.PollOnceAsync(CancellationToken.None);

        await host.Worker.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, gate.Runs);
        for (var i = 0; i < 18; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(10));
            await host.Worker.PollOnceAsync(CancellationToken.None);
        }

        Assert.Empty(await host.Store.ReceiveAsync(32, TimeSpan.FromMinutes(2), CancellationToken.None));
        gate.Open.SetResult();
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("slots")).RuntimeStatus);
        Assert.Equal(2, gate.Runs);
    }

    [Fact]
    public async Task A_busy_worker_holds_queued_activities_without_spinning_and_runs_them_all_as_slots_free()
    {
        var gate = new Gate();
        await using var host = QueuedActivityHost(gate, slots: 2, r => r.AddOrchestrator<FanOut>().AddActivity<Blocking>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOut), 40, new StartOrchestrationOptions("fan"));
        await host.Worker.PollOnceAsync(CancellationToken.None);
        var before = host.Metrics.StorageRequests;

        for (var i = 0; i < 50; i++)
        {
            await host.Worker.PollOnceAsync(CancellationToken.None);
        }

        Assert.True(host.Metrics.StorageRequests - before <= 55, $"{host.Metrics.StorageRequests - before} storage requests in 50 polls of a busy worker");
        Assert.Equal(2, gate.Runs);
        Assert.Equal(40, host.Store.QueueLength);
        gate.Open.SetResult();
        await host.RunUntilIdleAsync();
        Assert.Equal(40, (await host.GetAsync("fan")).ReadOutputAs<int>());
    }

    [Fact]
    public async Task Draining_a_busy_worker_finishes_every_queued_activity()
    {
        var gate = new Gate();
        await using var host = QueuedActivityHost(gate, slots: 2, r => r.AddOrchestrator<FanOut>().AddActivity<Blocking>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOut), 40, new StartOrchestrationOptions("fan"));
        await host.Worker.PollOnceAsync(CancellationToken.None);
        await host.Worker.PollOnceAsync(CancellationToken.None);

        gate.Open.SetResult();
        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("fan")).RuntimeStatus);
        Assert.Equal(40, gate.Runs);
    }

    [Fact]
    public async Task A_flow_queued_behind_a_busy_activity_pool_still_runs_at_once()
    {
        var gate = new Gate();
        await using var host = QueuedActivityHost(gate, slots: 2, r => r.AddOrchestrator<FanOut>().AddOrchestrator<Quick>().AddActivity<Blocking>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOut), 200, new StartOrchestrationOptions("fan"));
        await host.Worker.PollOnceAsync(CancellationToken.None);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Quick), null, new StartOrchestrationOptions("quick"));

        for (var i = 0; i < 10; i++)
        {
            await host.Worker.PollOnceAsync(CancellationToken.None);
        }

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("quick")).RuntimeStatus);
        gate.Open.SetResult();
        await host.RunUntilIdleAsync();
    }

    [Fact]
    public async Task By_default_forty_activities_scheduled_at_once_all_run_in_process_without_a_queue_round_trip()
    {
        // The benchmark found that with 16 slots a busy worker sent most activities through the queue (send, receive,
        // delete, outbox merge: four more storage requests each). Activities here wait on I/O, so 64 run at once.
        var gate = new Gate();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<FanOut>().AddActivity<Blocking>(), services: s => s.AddSingleton(gate));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOut), 40, new StartOrchestrationOptions("fan-40"));
        await host.Worker.PollOnceAsync(CancellationToken.None);

        await Waiting.UntilAsync(() => gate.Runs >= 40, "40 activities running at once", TimeSpan.FromSeconds(10));

        Assert.Equal(40, gate.Runs);
        gate.Open.SetResult();
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("fan-40")).RuntimeStatus);
    }

    /// <summary>A host whose activities go through the queue, with <paramref name="slots"/> running at once.</summary>
    private static DurableTestHost QueuedActivityHost(Gate gate, int slots, Action<Hosting.DurableTaskRegistry> register) =>
        new(register, o => { o.RunActivitiesLocally = false; o.MaxConcurrentActivities = slots; }, s => s.AddSingleton(gate));

    internal sealed class Gate
    {
        private int runs;

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref runs);

        public void Ran() => Interlocked.Increment(ref runs);
    }

    internal sealed class Blocking(Gate gate) : TaskActivity<string?, int>
    {
        public override async Task<int> RunAsync(TaskActivityContext context, string? input)
        {
            gate.Ran();
            await gate.Open.Task;
            return input?.Length ?? gate.Runs;
        }
    }

    internal sealed class JobPerEvent : TaskOrchestrator<object?, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var jobs = new List<Task<int>>();
            while (await context.WaitForExternalEvent<string>("job") is var job && job != "done")
            {
                jobs.Add(context.CallActivityAsync<int>(nameof(Blocking), job));
            }

            return (await Task.WhenAll(jobs)).Sum();
        }
    }

    internal sealed class TwoLong : TaskOrchestrator<object?, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var a = context.CallActivityAsync<int>(nameof(Blocking), "a");
            var b = context.CallActivityAsync<int>(nameof(Blocking), "b");
            return await a + await b;
        }
    }

    internal sealed class FanOut : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input) =>
            (await Task.WhenAll(Enumerable.Range(0, input).Select(_ => context.CallActivityAsync<int>(nameof(Blocking), "x")))).Sum();
    }

    internal sealed class Quick : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => Task.FromResult("done");
    }

    internal sealed class OneActivity : TaskOrchestrator<object?, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, object? input) => context.CallActivityAsync<int>(nameof(Blocking));
    }
}
