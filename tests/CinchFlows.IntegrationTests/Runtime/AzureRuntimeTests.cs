using CinchFlows.Durable;
using CinchFlows.Durable.Client;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Hosting;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Runtime;

/// <summary>The runtime end to end on Azurite: real tables, real queues, real visibility delays, several workers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureRuntimeTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Chain_of_activities_runs_on_Azurite_at_three_storage_requests_per_step_or_fewer()
    {
        var hub = azurite.NewTaskHub();
        await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);
        await using var caller = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register, listen: false);
        var requestsBefore = worker.Metrics.StorageRequests;
        var emptyPollsBefore = worker.Metrics.EmptyPolls;

        await caller.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 10, new StartOrchestrationOptions("chain-1"));
        var done = await WaitForEndAsync(caller.Client, "chain-1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(10, done.ReadOutputAs<int>());
        var steps = worker.Metrics.Steps;
        var requests = worker.Metrics.StorageRequests - requestsBefore;
        var emptyPolls = worker.Metrics.EmptyPolls - emptyPollsBefore;
        output.WriteLine($"steps={steps} worker requests={requests} (of which empty polls={emptyPolls}) => {(double)(requests - emptyPolls) / steps:F2} per step excluding idle polls, {(double)requests / steps:F2} including them");
        Assert.Equal(11, steps);
        Assert.True(requests - emptyPolls <= 3 * steps, $"{requests - emptyPolls} requests for {steps} steps");
    }

    [Fact]
    public async Task Two_workers_racing_on_one_instance_never_corrupt_it()
    {
        var hub = azurite.NewTaskHub();
        var meeting = new Meeting();
        // Both poll as often as they can: a busy worker holds the activities it receives, so an idle one backed off to
        // its maximum interval could find the queue emptied by the other and the rendezvous would never happen.
        var oneAtATime = new Dictionary<string, string?>
        {
            ["Durable:RunActivitiesLocally"] = "false",
            ["Durable:ReceiveBatchSize"] = "1",
            ["Durable:MaxConcurrentActivities"] = "1",
            ["Durable:MaxPollingInterval"] = "00:00:00.050",
        };
        await using var first = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register, oneAtATime, s => s.AddSingleton(meeting).AddSingleton(new WorkerTag("first")));
        await using var second = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register, oneAtATime, s => s.AddSingleton(meeting).AddSingleton(new WorkerTag("second")));

        await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOut), 20, new StartOrchestrationOptions("fan-1"));
        var done = await WaitForEndAsync(first.Client, "fan-1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(0, 20).Sum(), done.ReadOutputAs<int>());
        var history = (await first.Client.GetHistoryAsync("fan-1"))!;
        Assert.Equal(20, history.OfType<TaskScheduledEvent>().Count());
        Assert.Equal(Enumerable.Range(0, 20), history.OfType<TaskCompletedEvent>().Select(c => c.TaskScheduledId).Order());
        Assert.Single(history.OfType<ExecutionCompletedEvent>());
        output.WriteLine($"activities run: {first.Metrics.Activities} + {second.Metrics.Activities}; ETag conflicts retried: {first.Metrics.Conflicts} + {second.Metrics.Conflicts}");
        // Which worker runs which activity is the queue's choice (a busy worker holds what it receives), but both
        // step the one instance: that is the race this test is about.
        Assert.True(first.Metrics.Steps > 0 && second.Metrics.Steps > 0, "both workers must have stepped the instance");
        Assert.True(first.Metrics.Activities + second.Metrics.Activities >= 20);
    }

    [Fact]
    public async Task Three_workers_share_sixty_mixed_flows_and_finish_each_exactly_once()
    {
        var hub = azurite.NewTaskHub();
        var workers = new List<WorkerProcess>();
        for (var i = 0; i < 3; i++)
        {
            workers.Add(await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register));
        }

        try
        {
            var client = workers[0].Client;
            var started = DateTime.UtcNow;
            for (var i = 0; i < 60; i++)
            {
                await workers[i % 3].Client.ScheduleNewOrchestrationInstanceAsync(nameof(Mixed), i, new StartOrchestrationOptions($"mixed-{i}"));
            }

            await Eventually.WaitUntilAsync(
                async () => (await client.GetInstanceAsync("mixed-59"))?.WaitingFor?.Contains("event", StringComparison.Ordinal) == true,
                Patience,
                "the last flow to wait for its event");
            for (var i = 0; i < 60; i++)
            {
                await Eventually.WaitUntilAsync(async () => (await client.GetInstanceAsync($"mixed-{i}"))?.WaitingFor?.Contains("event", StringComparison.Ordinal) == true, Patience, $"mixed-{i} to wait");
                await workers[(i + 1) % 3].Client.RaiseEventAsync($"mixed-{i}", "go", i);
            }

            for (var i = 0; i < 60; i++)
            {
                OrchestrationMetadata done;
                try
                {
                    done = await WaitForEndAsync(client, $"mixed-{i}");
                }
                catch (OperationCanceledException)
                {
                    var record = await azurite.CreateStore(hub).LoadAsync($"mixed-{i}", CancellationToken.None);
                    output.WriteLine($"STUCK mixed-{i}: {record!.Record.RuntimeStatus} waiting for {record.Record.WaitingFor}; outbox {string.Join(",", record.Record.Outbox.Select(m => m.Id))}; history {string.Join(" ", record.History.Select(h => h.GetType().Name.Replace("Event", "", StringComparison.Ordinal)))}");
                    var childId = record.History.OfType<SubOrchestrationCreatedEvent>().LastOrDefault()?.InstanceId;
                    var child = childId is null ? null : await azurite.CreateStore(hub).LoadAsync(childId, CancellationToken.None);
                    output.WriteLine(child is null ? "no child" : $"CHILD {child.Record.RuntimeStatus} waiting for {child.Record.WaitingFor}; outbox {string.Join(",", child.Record.Outbox.Select(m => m.Id))}; history {string.Join(" ", child.History.Select(h => h.GetType().Name.Replace("Event", "", StringComparison.Ordinal)))}");
                    throw;
                }

                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal((i * 3) + i + (i * 2), done.ReadOutputAs<int>());
                var history = (await client.GetHistoryAsync($"mixed-{i}"))!;
                Assert.Single(history.OfType<ExecutionCompletedEvent>());
                Assert.Equal(history.OfType<TaskScheduledEvent>().Count(), history.OfType<TaskCompletedEvent>().Count());
            }

            var steps = workers.Sum(w => w.Metrics.Steps);
            output.WriteLine($"60 flows on 3 workers in {(DateTime.UtcNow - started).TotalSeconds:F1} s: steps {string.Join("/", workers.Select(w => w.Metrics.Steps))}, conflicts {string.Join("/", workers.Select(w => w.Metrics.Conflicts))}, {steps} steps in all");
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Crash_between_commit_and_dispatch_is_recovered_by_the_sweeper_of_a_restarted_worker()
    {
        var hub = azurite.NewTaskHub();
        var crashed = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register, beforeStart: w => w.SkipDispatchAfterCommit = true);
        await crashed.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 2, new StartOrchestrationOptions("crash-1"));
        await Eventually.WaitUntilAsync(async () => (await crashed.Client.GetInstanceAsync("crash-1"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, Patience, "the first step to commit");
        await crashed.DisposeAsync();
        var stuck = await azurite.CreateStore(hub).GetRecordAsync("crash-1", CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Running, stuck!.RuntimeStatus);
        Assert.NotEmpty(stuck.Outbox);

        await using var restarted = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register, new Dictionary<string, string?>
        {
            ["Durable:OutboxRecoveryAfter"] = "00:00:01",
            ["Durable:SweepInterval"] = "00:00:00.500",
        });
        var done = await WaitForEndAsync(restarted.Client, "crash-1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Timer_set_before_a_restart_fires_after_it_and_never_early()
    {
        var hub = azurite.NewTaskHub();
        var before = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);
        await before.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sleeper), 3, new StartOrchestrationOptions("sleep-1"));
        await Eventually.WaitUntilAsync(async () => (await before.Client.GetInstanceAsync("sleep-1"))?.WaitingFor?.Contains("timer", StringComparison.Ordinal) == true, Patience, "the timer to be set");
        await before.DisposeAsync();

        await using var after = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);
        var done = await WaitForEndAsync(after.Client, "sleep-1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var fired = (await after.Client.GetHistoryAsync("sleep-1"))!.OfType<TimerFiredEvent>().Single();
        var lateness = fired.Timestamp - fired.FireAt;
        output.WriteLine($"timer lateness after a restart: {lateness.TotalMilliseconds:F0} ms");
        Assert.True(lateness >= TimeSpan.Zero, $"fired {lateness} early");
    }

    [Fact]
    public async Task Timer_held_in_memory_by_a_stopping_worker_is_handed_back_and_fires_on_time()
    {
        var hub = azurite.NewTaskHub();
        var before = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);
        await before.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sleeper), 3, new StartOrchestrationOptions("held-1"));
        TimerCreatedEvent? created = null;
        await Eventually.WaitUntilAsync(
            async () => (created = (await before.Client.GetHistoryAsync("held-1"))?.OfType<TimerCreatedEvent>().SingleOrDefault()) is not null,
            Patience,
            "the timer to be set");

        // Queue delays are whole seconds rounded down, so the timer message arrives up to a second early and the worker
        // holds it in memory; stop the worker while it does.
        var holding = created!.FireAt - TimeSpan.FromMilliseconds(400);
        await Eventually.WaitUntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow >= holding), Patience, "the worker to hold the timer");
        await before.DisposeAsync();

        await using var after = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);
        var done = await WaitForEndAsync(after.Client, "held-1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var fired = (await after.Client.GetHistoryAsync("held-1"))!.OfType<TimerFiredEvent>().Single();
        var lateness = fired.Timestamp - fired.FireAt;
        output.WriteLine($"held timer lateness after a stop: {lateness.TotalMilliseconds:F0} ms");

        // Not handed back, it would wait out the two-minute visibility timeout.
        Assert.InRange(lateness, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Timers_on_a_running_worker_fire_close_to_their_time()
    {
        var hub = azurite.NewTaskHub();
        await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);

        for (var i = 0; i < 5; i++)
        {
            await worker.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sleeper), 1 + (i % 3), new StartOrchestrationOptions($"tick-{i}"));
        }

        var lateness = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await WaitForEndAsync(worker.Client, $"tick-{i}");
            var fired = (await worker.Client.GetHistoryAsync($"tick-{i}"))!.OfType<TimerFiredEvent>().Single();
            lateness.Add((fired.Timestamp - fired.FireAt).TotalMilliseconds);
        }

        lateness.Sort();
        output.WriteLine($"timer lateness ms: {string.Join(", ", lateness.Select(l => l.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.All(lateness, l => Assert.True(l >= 0, $"fired {l} ms early"));
    }

    [Fact]
    public async Task Delayed_start_begins_on_time_without_spinning_on_whole_second_queue_delays()
    {
        var hub = azurite.NewTaskHub();
        await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register);
        var startAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var before = worker.Metrics.StorageRequests;

        await worker.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 1, new StartOrchestrationOptions("later-1", startAt));
        var done = await WaitForEndAsync(worker.Client, "later-1");

        var requests = worker.Metrics.StorageRequests - before;
        var started = (await worker.Client.GetHistoryAsync("later-1"))!.OfType<OrchestratorStartedEvent>().First().Timestamp;
        output.WriteLine($"delayed start: began {(started - startAt).TotalMilliseconds:F0} ms after its time, {requests} storage requests in all");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.True(started >= startAt, $"began {startAt - started} early");
        Assert.True(requests < 60, $"{requests} storage requests for one delayed start: re-sends are spinning");
    }

    [Fact]
    public async Task Message_that_keeps_failing_goes_to_the_poison_queue_and_fails_the_instance()
    {
        var hub = azurite.NewTaskHub();
        await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, r => r.AddOrchestrator<Broken>(), new Dictionary<string, string?> { ["Durable:MaxDequeueCount"] = "2" });

        await worker.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Broken), null, new StartOrchestrationOptions("poison-1"));
        var done = await WaitForEndAsync(worker.Client, "poison-1");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(TaskFailureDetails.PoisonMessageErrorType, done.FailureDetails!.ErrorType);
        Assert.Contains("cannot be built", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        var store = azurite.CreateStore(hub);
        var poisoned = Assert.Single(await store.PeekPoisonAsync(10, CancellationToken.None));
        Assert.Equal("poison-1", poisoned.InstanceId);
    }

    [Fact]
    public async Task Idle_worker_backs_off_its_polling()
    {
        var hub = azurite.NewTaskHub();
        await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, Register, new Dictionary<string, string?> { ["Durable:MaxPollingInterval"] = "00:00:02" });
        await Eventually.WaitUntilAsync(() => Task.FromResult(worker.Metrics.EmptyPolls >= 3), Patience, "the worker to start polling");
        var before = worker.Metrics.StorageRequests;
        var started = DateTime.UtcNow;

        await Eventually.WaitUntilAsync(() => Task.FromResult(DateTime.UtcNow - started >= TimeSpan.FromSeconds(8)), Patience, "eight idle seconds");

        var requests = worker.Metrics.StorageRequests - before;
        var perMinute = requests / (DateTime.UtcNow - started).TotalMinutes;
        output.WriteLine($"idle: {requests} storage requests in {(DateTime.UtcNow - started).TotalSeconds:F1} s = {perMinute:F0} per minute");

        // Backed off to one receive every 2 s, an idle worker makes about 4 requests in 8 s; a busy loop would make hundreds.
        Assert.InRange(requests, 1, 10);
    }

    private static void Register(DurableTaskRegistry registry) =>
        registry.AddOrchestrator<Chain>().AddOrchestrator<FanOut>().AddOrchestrator<Mixed>().AddOrchestrator<Doubler>().AddOrchestrator<Sleeper>().AddActivity<Echo>().AddActivity<Rendezvous>();

    private static async Task<OrchestrationMetadata> WaitForEndAsync(DurableTaskClient client, string instanceId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    internal sealed class Echo : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input);
    }

    internal sealed record WorkerTag(string Name);

    /// <summary>Holds the first activities until both workers have one, so the two really race on the instance.</summary>
    internal sealed class Meeting
    {
        private readonly HashSet<string> arrived = [];
        private readonly TaskCompletionSource bothHere = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ArriveAsync(string worker)
        {
            lock (arrived)
            {
                if (arrived.Add(worker) && arrived.Count == 2)
                {
                    bothHere.SetResult();
                }
            }

            // Wait a little for the other worker, so both run activities at once when both have some; never fail over it.
            return bothHere.Task.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    internal sealed class Rendezvous(Meeting meeting, WorkerTag tag) : TaskActivity<int, int>
    {
        public override async Task<int> RunAsync(TaskActivityContext context, int input)
        {
            await meeting.ArriveAsync(tag.Name);
            return input;
        }
    }

    internal sealed class Chain : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            var count = 0;
            for (var i = 0; i < input; i++)
            {
                count += await context.CallActivityAsync<int>(nameof(Echo), 1);
            }

            return count;
        }
    }

    internal sealed class FanOut : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, input).Select(i => context.CallActivityAsync<int>(nameof(Rendezvous), i)));
            return results.Sum();
        }
    }

    /// <summary>Activities in parallel, a timer, an event and a sub-orchestration: a bit of everything per flow.</summary>
    internal sealed class Mixed : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            var parts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => context.CallActivityAsync<int>(nameof(Echo), input)));
            await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
            var fromEvent = await context.WaitForExternalEvent<int>("go", TimeSpan.FromMinutes(5));
            var doubled = await context.CallSubOrchestratorAsync<int>(nameof(Doubler), input);
            return parts.Sum() + fromEvent + doubled;
        }
    }

    internal sealed class Doubler : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input) =>
            await context.CallActivityAsync<int>(nameof(Echo), input) * 2;
    }

    internal sealed class Sleeper : TaskOrchestrator<int, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
        {
            await context.CreateTimer(TimeSpan.FromSeconds(input), CancellationToken.None);
            return "awake";
        }
    }

    internal sealed class Broken : TaskOrchestrator<object?, string>
    {
        public Broken() => throw new InvalidOperationException("this orchestration cannot be built");

        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => Task.FromResult("never");
    }
}
