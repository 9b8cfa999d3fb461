using CinchFlows.Durable.Client;
using CinchFlows.Durable.Tests.Support;

namespace CinchFlows.Durable.Tests;

public sealed class ManagementTests
{
    [Fact]
    public async Task Starting_an_existing_id_is_a_no_op_that_returns_it()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());

        var first = await host.Client.StartAsync(nameof(Waits), "a", new StartOrchestrationOptions("call-42"));
        var second = await host.Client.StartAsync(nameof(Waits), "b", new StartOrchestrationOptions("call-42"));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal("call-42", second.InstanceId);
        Assert.Equal("\"a\"", (await host.GetAsync("call-42")).SerializedInput);
    }

    [Fact]
    public async Task Instance_ids_outside_the_safe_alphabet_are_refused()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.StartAsync(nameof(Waits), null, new StartOrchestrationOptions("a/b#c")));
        Assert.Null(await host.Client.GetInstanceAsync("a/b#c"));
    }

    [Fact]
    public async Task Terminate_stops_a_waiting_flow_with_the_reason_and_it_takes_no_more_events()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        var id = await host.StartAsync(nameof(Waits), null, "term-1");

        await host.Client.TerminateInstanceAsync(id, "caller hung up");
        await host.RunUntilIdleAsync();

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, status.RuntimeStatus);
        Assert.Equal("caller hung up", status.ReadOutputAs<string>());
        await Assert.ThrowsAsync<InstanceFinishedException>(() => host.Client.RaiseEventAsync(id, "go"));
        await Assert.ThrowsAsync<InstanceFinishedException>(() => host.Client.TerminateInstanceAsync(id));
    }

    [Fact]
    public async Task Suspended_flow_holds_events_until_resumed()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        var id = await host.StartAsync(nameof(Waits), null, "suspend-1");

        await host.Client.SuspendInstanceAsync(id, "checking");
        await host.RunUntilIdleAsync();
        await host.Client.RaiseEventAsync(id, "go", "now");
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.GetAsync(id)).RuntimeStatus);

        await host.Client.ResumeInstanceAsync(id, "done checking");
        await host.RunUntilIdleAsync();

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("now", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Event_too_large_for_a_work_message_is_refused_and_nothing_is_sent()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        var id = await host.StartAsync(nameof(Waits), null, "big-1");

        var refused = await Assert.ThrowsAsync<PayloadTooLargeException>(() => host.Client.RaiseEventAsync(id, "go", new string('"', 20_000)));

        Assert.True(refused.Length > refused.Limit);
        Assert.Equal(0, host.Store.QueueLength);
        await host.Client.RaiseEventAsync(id, "go", new string('x', 40_000));
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task Unknown_instances_are_reported_as_not_found()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());

        Assert.Null(await host.Client.GetInstanceAsync("nobody"));
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => host.Client.RaiseEventAsync("nobody", "go"));
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => host.Client.SuspendInstanceAsync("nobody"));
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync("nobody")).PurgedInstanceCount);
    }

    [Fact]
    public async Task Purge_refuses_a_running_flow_and_deletes_a_finished_one()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        var id = await host.StartAsync(nameof(Waits), null, "purge-1");

        await Assert.ThrowsAsync<InstanceStillRunningException>(() => host.Client.PurgeInstanceAsync(id));
        await host.Client.RaiseEventAsync(id, "go", "x");
        await host.RunUntilIdleAsync();

        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(id)).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(id));
        Assert.Null(await host.Client.GetHistoryAsync(id));
    }

    [Fact]
    public async Task Query_filters_by_status_and_prefix_and_pages_without_gaps()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        for (var i = 0; i < 7; i++)
        {
            await host.StartAsync(nameof(Waits), null, $"call-{i}");
        }

        await host.StartAsync(nameof(Waits), null, "other-1");
        await host.Client.RaiseEventAsync("call-3", "go", "x");
        await host.RunUntilIdleAsync();

        var running = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await host.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "call-", Statuses = [OrchestrationRuntimeStatus.Running], PageSize = 2 }, token);
            running.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["call-0", "call-1", "call-2", "call-4", "call-5", "call-6"], running);
        Assert.True(pages >= 3);
        var completed = await host.Client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed] }).ToListAsync();
        Assert.Equal("call-3", Assert.Single(completed).InstanceId);
    }

    [Fact]
    public async Task Delayed_start_stays_pending_until_its_time()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waits), null, new StartOrchestrationOptions("later-1", host.Time.GetUtcNow().AddMinutes(5)));

        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.GetAsync(id)).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task Delayed_start_beyond_the_queue_delay_cap_waits_its_full_time()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waits), null, new StartOrchestrationOptions("later-10d", host.Time.GetUtcNow().AddDays(10)));

        await host.AdvanceAsync(TimeSpan.FromDays(6).Add(TimeSpan.FromMinutes(1)));
        var early = await host.GetAsync("later-10d");
        Assert.Equal(OrchestrationRuntimeStatus.Pending, early.RuntimeStatus);
        Assert.Equal("start at 2026-12-02T09:00:00Z", early.WaitingFor);

        await host.AdvanceAsync(TimeSpan.FromDays(4));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync("later-10d")).RuntimeStatus);
    }

    [Fact]
    public async Task Event_sent_to_a_flow_before_its_delayed_start_waits_for_the_start()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waits), null, new StartOrchestrationOptions("later-ev", host.Time.GetUtcNow().AddHours(1)));

        await host.Client.RaiseEventAsync("later-ev", "go", "early bird");
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.GetAsync("later-ev")).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromHours(1));
        var done = await host.GetAsync("later-ev");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("early bird", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Terminating_a_flow_before_its_delayed_start_ends_it_at_once()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Waits>());
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waits), null, new StartOrchestrationOptions("later-term", host.Time.GetUtcNow().AddHours(1)));

        await host.Client.TerminateInstanceAsync("later-term", "not needed");
        await host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.GetAsync("later-term")).RuntimeStatus);
    }

    internal sealed class Waits : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) => context.WaitForExternalEvent<string>("go");
    }
}
