using CinchFlows.Durable.Client;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Tests.Support;
using CinchFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Tests;

/// <summary>Orderings and sizes that once lost or doubled work (found in review); each test failed before its fix.</summary>
public sealed class EdgeCaseTests
{
    [Fact]
    public async Task Event_and_suspend_in_one_batch_run_the_next_activity_once_and_resume_cleanly()
    {
        var counter = new Counter();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<EventThenTwoActivities>().AddActivity<Counting>(), services: s => s.AddSingleton(counter));
        var id = await host.StartAsync(nameof(EventThenTwoActivities), null, "suspend-batch");

        await host.Client.RaiseEventAsync(id, "go", "x");
        await host.Client.SuspendInstanceAsync(id, "ops");
        await host.RunUntilIdleAsync();

        Assert.Equal(1, counter.Value);
        Assert.Single((await host.Client.GetHistoryAsync(id))!.OfType<TaskScheduledEvent>(), e => e.TaskId == 0);
        await host.Client.ResumeInstanceAsync(id);
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(2, counter.Value);
    }

    [Fact]
    public async Task Sub_orchestration_output_too_large_to_send_fails_the_parents_call_instead_of_hanging_it()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<ParentOfBig>().AddOrchestrator<BigChild>());

        var id = await host.StartAsync(nameof(ParentOfBig), null, "big-parent");

        var parent = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal(nameof(PayloadTooLargeException), parent.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(await ChildIdAsync(host, id))).RuntimeStatus);
    }

    [Fact]
    public async Task Instance_purged_and_started_again_is_not_mistaken_for_its_cached_predecessor()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsGo>());
        var other = host.NewWorker();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsGo), null, new StartOrchestrationOptions("reuse-1"));
        await host.RunUntilIdleAsync();
        await host.Client.RaiseEventAsync("reuse-1", "go", "first");
        await host.RunUntilIdleAsync(other);
        await host.Client.PurgeInstanceAsync("reuse-1");

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsGo), null, new StartOrchestrationOptions("reuse-1"));
        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("reuse-1")).RuntimeStatus);
    }

    [Fact]
    public async Task Activity_scheduled_in_the_last_step_runs_once_even_after_sweeps()
    {
        var counter = new Counter();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<FireAndForgetActivity>().AddActivity<Counting>(), services: s => s.AddSingleton(counter));
        var id = await host.StartAsync(nameof(FireAndForgetActivity), null, "last-step");

        for (var sweep = 0; sweep < 2; sweep++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(2));
            await host.Worker.SweepAsync(CancellationToken.None);
            await host.RunUntilIdleAsync();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(1, counter.Value);
        Assert.Empty((await host.Store.GetRecordAsync(id, CancellationToken.None))!.Outbox);
    }

    [Fact]
    public void Wake_ups_for_timers_months_away_do_not_overflow_the_system_timer()
    {
        using var scheduler = new WakeUpScheduler(TimeProvider.System, new WorkSignal());

        scheduler.Schedule(DateTimeOffset.UtcNow.AddDays(60));
        scheduler.Schedule(DateTimeOffset.UtcNow.AddDays(60 * 365));

        Assert.Equal(2, scheduler.Pending);
    }

    [Fact]
    public async Task Step_with_a_timer_two_months_away_commits_and_dispatches_normally()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<LongTimer>(), services: s => s.AddSingleton(TimeProvider.System));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(LongTimer), null, new StartOrchestrationOptions("t60"));

        await host.Worker.PollOnceAsync(CancellationToken.None);

        var record = (await host.Store.GetRecordAsync("t60", CancellationToken.None))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, record.RuntimeStatus);
        Assert.True(Assert.Single(record.Outbox).Parked);
        Assert.Equal(0, host.Store.QueueLength);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Reusing_a_child_id_fails_the_second_call_instead_of_hanging_the_parent()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<ReusesChildId>().AddOrchestrator<SmallChild>());

        var id = await host.StartAsync(nameof(ReusesChildId), null, "reuse-parent");

        var parent = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal("1 then InstanceExists", parent.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Many_large_events_in_one_receive_are_split_across_steps_that_each_fit_a_storage_row()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsGo>());
        var id = await host.StartAsync(nameof(WaitsGo), null, "many-big");
        var payload = new string('x', 46_000);
        for (var i = 0; i < 10; i++)
        {
            await host.Client.RaiseEventAsync(id, "other", payload);
        }

        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(10, (await host.Client.GetHistoryAsync(id))!.OfType<EventRaisedEvent>().Count());
        Assert.Empty(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Fan_out_whose_inputs_would_overflow_the_outbox_is_refused_in_the_calling_code()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WideFanOut>().AddActivity<Counting>(), services: s => s.AddSingleton(new Counter()));

        var id = await host.StartAsync(nameof(WideFanOut), null, "wide-1");

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("refused after 6", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Resume_handled_before_its_earlier_suspend_still_wins()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsGo>());
        var id = await host.StartAsync(nameof(WaitsGo), null, "reorder-1");
        await host.Client.SuspendInstanceAsync(id);
        host.Time.Advance(TimeSpan.FromMilliseconds(5));
        await host.Client.ResumeInstanceAsync(id);

        // A worker takes the suspend and stalls; the resume is handled first; then the suspend comes back.
        Assert.Single(await host.Store.ReceiveAsync(1, TimeSpan.FromMinutes(2), CancellationToken.None));
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        await host.Client.RaiseEventAsync(id, "go", "still works");
        await host.RunUntilIdleAsync();
        Assert.Equal("still works", (await host.GetAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Child_whose_start_is_poisoned_before_it_exists_fails_the_parents_call()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<ParentOfBroken>().AddOrchestrator<BrokenChild>());
        var id = await host.StartAsync(nameof(ParentOfBroken), null, "broken-parent");

        for (var attempt = 0; attempt < 6; attempt++)
        {
            await host.AdvanceAsync(TimeSpan.FromSeconds(30));
        }

        var parent = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal(History.TaskFailureDetails.PoisonMessageErrorType, parent.ReadOutputAs<string>());
        Assert.Null(await host.Client.GetInstanceAsync(await ChildIdAsync(host, id)));
    }

    [Fact]
    public async Task Same_child_id_twice_in_one_step_fails_the_second_call()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TwinChildren>().AddOrchestrator<SmallChild>());

        var id = await host.StartAsync(nameof(TwinChildren), null, "twins");

        Assert.Equal("1,InstanceExists", (await host.GetAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Two_parents_racing_for_one_child_id_both_finish()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<SharedChildCaller>().AddOrchestrator<SmallChild>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SharedChildCaller), null, new StartOrchestrationOptions("p1"));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SharedChildCaller), null, new StartOrchestrationOptions("p2"));

        await host.RunUntilIdleAsync();

        var outputs = new[] { (await host.GetAsync("p1")).ReadOutputAs<string>(), (await host.GetAsync("p2")).ReadOutputAs<string>() };
        Assert.Equal(["7", "InstanceExists"], outputs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Flow_suspended_before_its_delayed_start_runs_nothing_until_resumed()
    {
        var counter = new Counter();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<EventThenTwoActivities>().AddOrchestrator<ActivityFirst>().AddActivity<Counting>(), services: s => s.AddSingleton(counter));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ActivityFirst), null, new StartOrchestrationOptions("later", host.Time.GetUtcNow().AddHours(1)));
        await host.Client.SuspendInstanceAsync("later", "hold it");
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromHours(2));
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.GetAsync("later")).RuntimeStatus);
        Assert.Equal(0, counter.Value);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Client.ResumeInstanceAsync("later");
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("later")).RuntimeStatus);
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public async Task Activity_result_too_large_to_return_fails_the_call_once()
    {
        var counter = new Counter();
        await using var host = new DurableTestHost(r => r.AddOrchestrator<CallsHuge>().AddActivity<HugeOutput>(), services: s => s.AddSingleton(counter));

        var id = await host.StartAsync(nameof(CallsHuge), null, "huge");
        for (var sweep = 0; sweep < 3; sweep++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(2));
            await host.Worker.SweepAsync(CancellationToken.None);
            await host.RunUntilIdleAsync();
        }

        Assert.Equal(nameof(PayloadTooLargeException), (await host.GetAsync(id)).ReadOutputAs<string>());
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public async Task Parent_purged_and_started_again_gets_new_children_and_ignores_its_old_runs_messages()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<ParentOfSleeper>().AddOrchestrator<SleepsThenAnswers>());
        var id = await host.StartAsync(nameof(ParentOfSleeper), 1, "order-1");
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        var firstChild = await ChildIdAsync(host, id);
        Assert.Equal(1, (await host.GetAsync(id)).ReadOutputAs<int>());

        // A second run's timer is pending when the first run is purged and the id started again.
        await host.Client.PurgeInstanceAsync(id);
        await host.StartAsync(nameof(ParentOfSleeper), 2, "order-1");
        var secondChild = await ChildIdAsync(host, id);
        await host.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(firstChild, secondChild);
        Assert.Equal(2, (await host.GetAsync(id)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task Timer_left_on_the_queue_by_a_purged_run_does_not_fire_into_the_next_run()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<SleepsThenAnswers>());
        await host.StartAsync(nameof(SleepsThenAnswers), 1, "reused");
        await host.Client.TerminateInstanceAsync("reused", "start over");
        await host.RunUntilIdleAsync();
        await host.Client.PurgeInstanceAsync("reused");
        host.Time.Advance(TimeSpan.FromSeconds(20));
        await host.StartAsync(nameof(SleepsThenAnswers), 2, "reused");

        await host.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("reused")).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, (await host.GetAsync("reused")).ReadOutputAs<int>());
    }

    [Fact]
    public async Task Suspend_and_resume_before_a_delayed_start_do_not_start_it_early()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Stamp>());
        var startAt = host.Time.GetUtcNow().AddHours(1);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Stamp), null, new StartOrchestrationOptions("delayed", startAt));
        await host.Client.SuspendInstanceAsync("delayed", "hold");
        await host.RunUntilIdleAsync();
        Assert.Equal("start at 2026-11-22T10:00:00Z", (await host.GetAsync("delayed")).WaitingFor);

        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        await host.Client.ResumeInstanceAsync("delayed", "go on");
        await host.RunUntilIdleAsync();
        Assert.NotEqual(OrchestrationRuntimeStatus.Completed, (await host.GetAsync("delayed")).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromHours(1));
        var done = await host.GetAsync("delayed");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.True(done.ReadOutputAs<DateTime>() >= startAt.UtcDateTime);
    }

    [Fact]
    public async Task A_poisoned_message_of_a_purged_run_does_not_fail_the_next_run()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<SleepsThenAnswers>().AddOrchestrator<WaitsGo>());
        await host.StartAsync(nameof(SleepsThenAnswers), 1, "reused");
        await host.Client.TerminateInstanceAsync("reused", "start over");
        await host.RunUntilIdleAsync();
        await host.Client.PurgeInstanceAsync("reused");
        await host.StartAsync(nameof(WaitsGo), null, "reused");

        // The old run's timer comes due and is taken, again and again, by workers that crash on it.
        host.Time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 5; i++)
        {
            Assert.Single(await host.Store.ReceiveAsync(32, TimeSpan.FromSeconds(1), CancellationToken.None));
            host.Time.Advance(TimeSpan.FromSeconds(2));
        }

        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("reused")).RuntimeStatus);
        Assert.Single(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_poisoned_start_for_an_id_another_flow_owns_tells_the_parent_and_spares_the_owner()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<WaitsGo>().AddOrchestrator<SharedChildCaller>().AddOrchestrator<SmallChild>());
        await host.StartAsync(nameof(WaitsGo), null, "shared-child");
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SharedChildCaller), null, new StartOrchestrationOptions("parent"));
        await host.Worker.PollOnceAsync(CancellationToken.None);
        await host.Worker.WhenIdleAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Single(await host.Store.ReceiveAsync(32, TimeSpan.FromSeconds(1), CancellationToken.None));
            host.Time.Advance(TimeSpan.FromSeconds(2));
        }

        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("shared-child")).RuntimeStatus);
        Assert.Equal(History.TaskFailureDetails.PoisonMessageErrorType, (await host.GetAsync("parent")).ReadOutputAs<string>());
    }

    internal sealed class Stamp : TaskOrchestrator<object?, DateTime>
    {
        public override Task<DateTime> RunAsync(TaskOrchestrationContext context, object? input) => Task.FromResult(context.CurrentUtcDateTime);
    }

    [Fact]
    public async Task Suspend_arriving_with_an_event_before_a_delayed_start_holds_the_flow()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Stamp>(), o => o.ReceiveBatchSize = 2);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Stamp), null, new StartOrchestrationOptions("held", host.Time.GetUtcNow().AddHours(1)));
        await host.Client.RaiseEventAsync("held", "x", 1);
        await host.Client.SuspendInstanceAsync("held", "hold it");
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.GetAsync("held")).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.GetAsync("held")).RuntimeStatus);
    }

    private static async Task<string> ChildIdAsync(DurableTestHost host, string parentId) =>
        (await host.Client.GetHistoryAsync(parentId))!.OfType<SubOrchestrationCreatedEvent>().Last().InstanceId;

    internal sealed class ParentOfSleeper : TaskOrchestrator<int, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, int input) =>
            context.CallSubOrchestratorAsync<int>(nameof(SleepsThenAnswers), input);
    }

    internal sealed class SleepsThenAnswers : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            await context.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
            return input;
        }
    }

    internal sealed class Counter
    {
        private int value;

        public int Value => Volatile.Read(ref value);

        public int Increment() => Interlocked.Increment(ref value);
    }

    internal sealed class Counting(Counter counter) : TaskActivity<object?, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, object? input) => Task.FromResult(counter.Increment());
    }

    internal sealed class EventThenTwoActivities : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.WaitForExternalEvent<string>("go");
            await context.CallActivityAsync<int>(nameof(Counting));
            await context.CallActivityAsync<int>(nameof(Counting));
            return "done";
        }
    }

    internal sealed class WideFanOut : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var calls = new List<Task<int>>();
            try
            {
                for (var i = 0; i < 10; i++)
                {
                    calls.Add(context.CallActivityAsync<int>(nameof(Counting), new string('x', 30_000)));
                }

                await Task.WhenAll(calls);
                return "all sent";
            }
            catch (PayloadTooLargeException)
            {
                await Task.WhenAll(calls);
                return $"refused after {calls.Count}";
            }
        }
    }

    internal sealed class BrokenChild : TaskOrchestrator<object?, string>
    {
        public BrokenChild() => throw new InvalidOperationException("cannot be built");

        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => Task.FromResult("never");
    }

    internal sealed class ParentOfBroken : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                return await context.CallSubOrchestratorAsync<string>(nameof(BrokenChild));
            }
            catch (TaskFailedException ex)
            {
                return ex.FailureDetails.ErrorType;
            }
        }
    }

    internal sealed class TwinChildren : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var first = context.CallSubOrchestratorAsync<int>(nameof(SmallChild), 1, new SubOrchestrationOptions(context.InstanceId + "-child"));
            var second = context.CallSubOrchestratorAsync<int>(nameof(SmallChild), 2, new SubOrchestrationOptions(context.InstanceId + "-child"));
            var results = new List<string>();
            foreach (var call in new[] { first, second })
            {
                try
                {
                    results.Add((await call).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (TaskFailedException ex)
                {
                    results.Add(ex.FailureDetails.ErrorType);
                }
            }

            return string.Join(",", results);
        }
    }

    internal sealed class SharedChildCaller : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                return (await context.CallSubOrchestratorAsync<int>(nameof(SmallChild), 7, new SubOrchestrationOptions("shared-child"))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskFailedException ex)
            {
                return ex.FailureDetails.ErrorType;
            }
        }
    }

    internal sealed class ActivityFirst : TaskOrchestrator<object?, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, object? input) => context.CallActivityAsync<int>(nameof(Counting));
    }

    internal sealed class HugeOutput(Counter counter) : TaskActivity<object?, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, object? input)
        {
            counter.Increment();
            return Task.FromResult(new string('o', 500_000));
        }
    }

    internal sealed class CallsHuge : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                return (await context.CallActivityAsync<string>(nameof(HugeOutput))).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskFailedException ex)
            {
                return ex.FailureDetails.ErrorType;
            }
        }
    }

    internal sealed class BigChild : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => Task.FromResult(new string('x', 60_000));
    }

    internal sealed class ParentOfBig : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                return (await context.CallSubOrchestratorAsync<string>(nameof(BigChild))).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskFailedException ex)
            {
                return ex.FailureDetails.ErrorType;
            }
        }
    }

    internal sealed class WaitsGo : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => context.WaitForExternalEvent<string>("go");
    }

    internal sealed class FireAndForgetActivity : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            _ = context.CallActivityAsync<int>(nameof(Counting));
            return Task.FromResult("done");
        }
    }

    internal sealed class LongTimer : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.CreateTimer(TimeSpan.FromDays(60), CancellationToken.None);
            return "done";
        }
    }

    internal sealed class SmallChild : TaskOrchestrator<int, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, int input) => Task.FromResult(input);
    }

    internal sealed class ReusesChildId : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var first = await context.CallSubOrchestratorAsync<int>(nameof(SmallChild), 1, new SubOrchestrationOptions(context.InstanceId + "-child"));
            try
            {
                await context.CallSubOrchestratorAsync<int>(nameof(SmallChild), 2, new SubOrchestrationOptions(context.InstanceId + "-child"));
                return $"{first} then ran again";
            }
            catch (TaskFailedException ex)
            {
                return $"{first} then {ex.FailureDetails.ErrorType}";
            }
        }
    }
}
