using CinchFlows.Durable.History;
using CinchFlows.Durable.Tests.Support;

namespace CinchFlows.Durable.Tests;

public sealed class TimerAndEventTests
{
    [Fact]
    public async Task Timer_waits_for_the_clock_and_then_the_flow_continues()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Sleeper>());
        var started = host.Time.GetUtcNow();

        var id = await host.StartAsync(nameof(Sleeper), 600, "sleep-1");

        var waiting = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);
        Assert.Contains("timer at", waiting.WaitingFor, StringComparison.Ordinal);

        await host.AdvanceAsync(TimeSpan.FromSeconds(599));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var done = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(started.AddSeconds(600).UtcDateTime, done.ReadOutputAs<DateTime>());
    }

    [Fact]
    public async Task Timer_longer_than_the_queue_delay_cap_waits_parked_and_fires_on_time()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Sleeper>());
        var tenDays = (int)TimeSpan.FromDays(10).TotalSeconds;

        var id = await host.StartAsync(nameof(Sleeper), tenDays, "sleep-long");

        await host.AdvanceAsync(TimeSpan.FromDays(6));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(0, host.Store.QueueLength);
        Assert.True(Assert.Single((await host.Store.GetRecordAsync(id, CancellationToken.None))!.Outbox).Parked);

        await host.AdvanceAsync(TimeSpan.FromDays(4) - TimeSpan.FromSeconds(1));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(1, host.Store.QueueLength);

        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Empty((await host.Store.GetRecordAsync(id, CancellationToken.None))!.Outbox);
    }

    [Fact]
    public async Task A_long_timer_message_already_on_the_queue_arrives_early_and_is_sent_on_for_the_rest_of_its_wait()
    {
        // As an earlier version queued every timer: one longer than the queue's 7-day cap arrives after 6 days.
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Sleeper>());
        var id = await host.StartAsync(nameof(Sleeper), (int)TimeSpan.FromDays(10).TotalSeconds, "sleep-queued");
        var parked = Assert.Single((await host.Store.GetRecordAsync(id, CancellationToken.None))!.Outbox);
        await host.Store.SendAsync(parked with { Parked = false }, CancellationToken.None);

        host.Time.Advance(TimeSpan.FromDays(6));
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(1, host.Store.QueueLength);

        host.Time.Advance(TimeSpan.FromDays(4));
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_parked_timer_whose_wait_ended_first_never_reaches_the_queue()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<AwaitApprovalForAnHour>());
        var id = await host.StartAsync(nameof(AwaitApprovalForAnHour), null, "parked-race");
        Assert.Equal(0, host.Store.QueueLength);

        await host.Client.RaiseEventAsync(id, "approval", "yes");
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal("approved: yes", (await host.GetAsync(id)).ReadOutputAs<string>());
        Assert.Empty((await host.Store.GetRecordAsync(id, CancellationToken.None))!.Outbox);
        Assert.Equal(0, host.Store.QueueLength);
    }

    [Fact]
    public async Task Event_before_the_timeout_wins_and_the_late_timer_is_ignored()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<AwaitApproval>());
        var id = await host.StartAsync(nameof(AwaitApproval), null, "race-event");

        await host.AdvanceAsync(TimeSpan.FromSeconds(30));
        await host.Client.RaiseEventAsync(id, "approval", "yes");
        await host.RunUntilIdleAsync();

        var done = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved: yes", done.ReadOutputAs<string>());

        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal("approved: yes", (await host.GetAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Timeout_before_the_event_takes_the_timeout_branch_and_a_late_event_is_refused()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<AwaitApproval>());
        var id = await host.StartAsync(nameof(AwaitApproval), null, "race-timeout");

        await host.AdvanceAsync(TimeSpan.FromMinutes(2));

        var done = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("timed out", done.ReadOutputAs<string>());
        await Assert.ThrowsAsync<Client.InstanceFinishedException>(() => host.Client.RaiseEventAsync(id, "approval", "too late"));
    }

    [Fact]
    public async Task Event_raised_before_the_code_waits_is_kept_and_delivered_in_order()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<CollectsTwo>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CollectsTwo), null, new Client.StartOrchestrationOptions("early-events"));

        await host.Client.RaiseEventAsync(id, "Item", "first");
        await host.Client.RaiseEventAsync(id, "item", "second");
        await host.RunUntilIdleAsync();

        var done = await host.GetAsync(id);
        Assert.Equal("first,second", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Custom_status_and_what_the_flow_waits_for_are_visible_while_it_waits()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<AwaitApproval>());
        var id = await host.StartAsync(nameof(AwaitApproval), null, "status-1");

        var waiting = await host.GetAsync(id);
        Assert.Equal("waiting for approval", waiting.ReadCustomStatusAs<string>());
        Assert.Contains("event 'approval'", waiting.WaitingFor, StringComparison.Ordinal);
        Assert.Contains("timer at 2026-11-22T09:01:00Z", waiting.WaitingFor, StringComparison.Ordinal);
        Assert.Equal(host.Time.GetUtcNow(), waiting.WaitingSince);
    }

    [Fact]
    public async Task Redelivered_event_message_is_applied_once()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<CollectsTwo>());
        var id = await host.StartAsync(nameof(CollectsTwo), null, "dup-event");
        var message = new Storage.WorkMessage("evt-1", Storage.WorkMessageKind.Orchestration, id, new EventRaisedEvent("item", "\"once\"") { MessageId = "evt-1" });

        await host.Store.SendAsync(message, CancellationToken.None);
        await host.Store.SendAsync(message, CancellationToken.None);
        await host.RunUntilIdleAsync();
        await host.Client.RaiseEventAsync(id, "item", "twice");
        await host.RunUntilIdleAsync();

        Assert.Equal("once,twice", (await host.GetAsync(id)).ReadOutputAs<string>());
    }

    internal sealed class Sleeper : TaskOrchestrator<int, DateTime>
    {
        public override async Task<DateTime> RunAsync(TaskOrchestrationContext context, int input)
        {
            await context.CreateTimer(TimeSpan.FromSeconds(input), CancellationToken.None);
            return context.CurrentUtcDateTime;
        }
    }

    internal sealed class AwaitApprovalForAnHour : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            try
            {
                return $"approved: {await context.WaitForExternalEvent<string>("approval", TimeSpan.FromHours(1))}";
            }
            catch (TimeoutException)
            {
                return "timed out";
            }
        }
    }

    internal sealed class AwaitApproval : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            context.SetCustomStatus("waiting for approval");
            try
            {
                var answer = await context.WaitForExternalEvent<string>("approval", TimeSpan.FromMinutes(1));
                return $"approved: {answer}";
            }
            catch (TimeoutException)
            {
                return "timed out";
            }
        }
    }

    internal sealed class CollectsTwo : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var first = await context.WaitForExternalEvent<string>("item");
            var second = await context.WaitForExternalEvent<string>("ITEM");
            return $"{first},{second}";
        }
    }
}
