using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Tests;

public sealed class ReliabilityTests
{
    [Fact]
    public async Task Code_changed_under_a_running_instance_fails_it_as_non_deterministic()
    {
        var version = new CodeVersion();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Versioned>().AddActivity<Noop>().AddActivity<OtherNoop>(), services: s => s.AddSingleton(version));
        var id = await host.StartAsync(nameof(Versioned), null, "nondet-1");
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);

        version.Value = 2;
        await host.Client.RaiseEventAsync(id, "go");
        await host.RunUntilIdleAsync();

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal(TaskFailureDetails.NonDeterministicErrorType, status.FailureDetails!.ErrorType);
        Assert.Contains("activity 'Noop'", status.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("activity 'OtherNoop'", status.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Awaiting_something_that_is_not_durable_fails_loudly_instead_of_hanging()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<AwaitsRealDelay>());

        var id = await host.StartAsync(nameof(AwaitsRealDelay), null, "nondet-delay");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal(TaskFailureDetails.NonDeterministicErrorType, status.FailureDetails!.ErrorType);
    }

    [Fact]
    public async Task NewGuid_is_the_same_on_every_replay()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<GuidMaker>().AddActivity<Noop>());

        var id = await host.StartAsync(nameof(GuidMaker), null, "guid-1");

        var guids = (await host.GetAsync(id)).ReadOutputAs<Guid[]>()!;
        Assert.Equal(2, guids.Distinct().Count());
        Assert.Equal(guids[0], (await host.GetAsync(id)).ReadOutputAs<Guid[]>()![0]);
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(guids[0].ToString(), history!.OfType<TaskScheduledEvent>().First().Input!.Trim('"'));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_goes_to_poison_and_the_instance_shows_the_cause()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<BrokenConstructor>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BrokenConstructor), null, new Client.StartOrchestrationOptions("poison-1"));

        for (var attempt = 0; attempt < 6; attempt++)
        {
            await host.AdvanceAsync(TimeSpan.FromSeconds(30));
        }

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal(TaskFailureDetails.PoisonMessageErrorType, status.FailureDetails!.ErrorType);
        Assert.Contains("constructor is broken", status.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        var poison = Assert.Single(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
        Assert.Equal(id, poison.InstanceId);
        Assert.Contains("constructor is broken", poison.Reason, StringComparison.Ordinal);
        Assert.Equal(0, host.Store.QueueLength);
    }

    [Fact]
    public async Task An_unreadable_message_goes_straight_to_poison_with_the_reason()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<AwaitsRealDelay>());

        host.Store.SendRaw("{not json");
        await host.RunUntilIdleAsync();

        var poison = Assert.Single(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
        Assert.Contains("not valid JSON", poison.Reason, StringComparison.Ordinal);
        Assert.Equal("{not json", poison.Body);
    }

    [Fact]
    public async Task Crash_between_commit_and_dispatch_is_recovered_by_the_sweeper()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TwoSteps>().AddActivity<Noop>(), o => o.OutboxRecoveryAfter = TimeSpan.FromSeconds(60));
        host.Worker.SkipDispatchAfterCommit = true;

        var id = await host.StartAsync(nameof(TwoSteps), null, "crash-1");
        var stuck = await host.Store.GetRecordAsync(id, CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Running, stuck!.RuntimeStatus);
        Assert.Single(stuck.Outbox);

        var restarted = host.NewWorker();
        Assert.Equal(0, await restarted.SweepAsync(CancellationToken.None));
        host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await restarted.SweepAsync(CancellationToken.None));
        await host.RunUntilIdleAsync(restarted);

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Empty((await host.Store.GetRecordAsync(id, CancellationToken.None))!.Outbox);
    }

    [Fact]
    public async Task Finished_child_whose_message_to_its_parent_was_never_sent_is_recovered_by_the_sweeper()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsForChild>().AddOrchestrator<ChildWaitsForGo>());
        await host.StartAsync(nameof(WaitsForChild), null, "parent-crash");
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("parent-crash:child")).RuntimeStatus);

        host.Worker.SkipDispatchAfterCommit = true;
        await host.Client.RaiseEventAsync("parent-crash:child", "go", "done");
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("parent-crash:child")).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("parent-crash")).RuntimeStatus);

        var restarted = host.NewWorker();
        host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await restarted.SweepAsync(CancellationToken.None));
        await host.RunUntilIdleAsync(restarted);

        Assert.Equal("child said done", (await host.GetAsync("parent-crash")).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Two_workers_on_one_store_finish_every_flow_once()
    {
        var counter = new CallCounter();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TwoSteps>().AddActivity<Noop>(), o => o.RunActivitiesLocally = false, s => s.AddSingleton(counter));
        var second = host.NewWorker();
        for (var i = 0; i < 20; i++)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TwoSteps), null, new Client.StartOrchestrationOptions($"race-{i}"));
        }

        for (var round = 0; round < 200 && host.Store.QueueLength > 0; round++)
        {
            await Task.WhenAll(host.Worker.PollOnceAsync(CancellationToken.None), second.PollOnceAsync(CancellationToken.None));
            await Task.WhenAll(host.Worker.WhenIdleAsync(), second.WhenIdleAsync());
        }

        for (var i = 0; i < 20; i++)
        {
            var status = await host.GetAsync($"race-{i}");
            Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
            var history = await host.Client.GetHistoryAsync($"race-{i}");
            Assert.Single(history!.OfType<TaskCompletedEvent>());
        }

        Assert.Equal(20, counter.Count);
    }

    [Fact]
    public async Task Result_reaching_a_worker_whose_cached_history_is_stale_is_not_lost()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsThenCalls>().AddActivity<Noop>(), o => o.RunActivitiesLocally = false);
        var other = host.NewWorker();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsThenCalls), null, new Client.StartOrchestrationOptions("stale-1"));
        await host.RunUntilIdleAsync();

        await host.Client.RaiseEventAsync("stale-1", "go");
        await other.PollOnceAsync(CancellationToken.None);
        Assert.Contains("activity", (await host.GetAsync("stale-1")).WaitingFor, StringComparison.Ordinal);

        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("stale-1")).RuntimeStatus);
    }

    [Fact]
    public async Task Resume_reaching_a_worker_that_missed_the_suspension_is_not_lost()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsThenCalls>().AddActivity<Noop>());
        var other = host.NewWorker();
        await host.StartAsync(nameof(WaitsThenCalls), null, "stale-resume");

        await host.Client.SuspendInstanceAsync("stale-resume");
        await other.PollOnceAsync(CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.GetAsync("stale-resume")).RuntimeStatus);
        await host.Client.ResumeInstanceAsync("stale-resume");
        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("stale-resume")).RuntimeStatus);
    }

    [Fact]
    public async Task Redelivered_activity_result_changes_nothing()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TwoSteps>().AddActivity<Noop>());
        var id = await host.StartAsync(nameof(TwoSteps), null, "dup-result");
        var before = (await host.Client.GetHistoryAsync(id))!.Count;

        await host.Store.SendAsync(new WorkMessage("again", WorkMessageKind.Orchestration, id, new TaskCompletedEvent(0, "\"again\"")), CancellationToken.None);
        await host.RunUntilIdleAsync();

        Assert.Equal(before, (await host.Client.GetHistoryAsync(id))!.Count);
    }

    [Fact]
    public async Task A_warm_step_costs_at_most_three_storage_requests()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Chain>().AddActivity<Noop>());
        var before = host.Metrics.StorageRequests;
        var stepsBefore = host.Metrics.Steps;

        await host.StartAsync(nameof(Chain), 10, "cost-1");

        var requests = host.Metrics.StorageRequests - before;
        var steps = host.Metrics.Steps - stepsBefore;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("cost-1")).RuntimeStatus);
        Assert.Equal(11, steps);
        Assert.True(requests <= 3 * steps, $"{requests} requests for {steps} steps");
        Assert.True(requests <= steps + 6, $"{requests} requests for {steps} steps: a chain of local activities should cost one commit per step");
    }

    internal sealed class CodeVersion
    {
        public int Value { get; set; } = 1;
    }

    internal sealed class CallCounter
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Add() => Interlocked.Increment(ref count);
    }

    internal sealed class Noop(IServiceProvider services) : TaskActivity<object?, object?>
    {
        public override Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            services.GetService<CallCounter>()?.Add();
            return Task.FromResult(input);
        }
    }

    internal sealed class OtherNoop : TaskActivity<object?, object?>
    {
        public override Task<object?> RunAsync(TaskActivityContext context, object? input) => Task.FromResult(input);
    }

    internal sealed class Versioned(CodeVersion version) : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.CallActivityAsync(version.Value == 1 ? nameof(Noop) : nameof(OtherNoop));
            await context.WaitForExternalEvent<object?>("go");
            return "done";
        }
    }

    internal sealed class AwaitsRealDelay : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await Task.Yield();
            await new TaskCompletionSource().Task;
            return "never";
        }
    }

    internal sealed class GuidMaker : TaskOrchestrator<object?, Guid[]>
    {
        public override async Task<Guid[]> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var first = context.NewGuid();
            await context.CallActivityAsync(nameof(Noop), first);
            return [first, context.NewGuid()];
        }
    }

    internal sealed class BrokenConstructor : TaskOrchestrator<object?, string>
    {
        public BrokenConstructor() => throw new InvalidOperationException("constructor is broken");

        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => Task.FromResult("never");
    }

    internal sealed class TwoSteps : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.CallActivityAsync(nameof(Noop));
            return "done";
        }
    }

    internal sealed class WaitsThenCalls : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.WaitForExternalEvent<object?>("go");
            await context.CallActivityAsync(nameof(Noop));
            return "done";
        }
    }

    internal sealed class WaitsForChild : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
            "child said " + await context.CallSubOrchestratorAsync<string>(nameof(ChildWaitsForGo), options: new SubOrchestrationOptions($"{context.InstanceId}:child"));
    }

    internal sealed class ChildWaitsForGo : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => context.WaitForExternalEvent<string>("go");
    }

    internal sealed class Chain : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            for (var i = 0; i < input; i++)
            {
                await context.CallActivityAsync(nameof(Noop), i);
            }

            return input;
        }
    }
}
