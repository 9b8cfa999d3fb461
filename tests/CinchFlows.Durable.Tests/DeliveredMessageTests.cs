using System.Text;
using CinchFlows.Durable.Client;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Tests.Support;

namespace CinchFlows.Durable.Tests;

/// <summary>Messages handed over one at a time by the Functions host (queue trigger) instead of polled by the worker.</summary>
public sealed class DeliveredMessageTests
{
    [Fact]
    public async Task Delivered_messages_alone_drive_an_instance_through_a_timer_and_a_queued_activity()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TimerThenActivity>().AddActivity<ReliabilityTests.Noop>(), o => o.RunActivitiesLocally = false);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerThenActivity), null, new StartOrchestrationOptions("delivered-1"));

        var outcomes = await DeliverVisibleAsync(host);
        Assert.Equal([DeliverySettlement.Completed], outcomes);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);

        host.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([DeliverySettlement.Completed], await DeliverVisibleAsync(host)); // the timer
        Assert.Equal([DeliverySettlement.Completed], await DeliverVisibleAsync(host)); // the queued activity, its result stepped in-process

        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(0, host.Store.QueueLength);
    }

    [Fact]
    public async Task A_far_timer_waits_parked_until_the_sweeper_invocation_puts_it_on_the_queue_and_fires_on_time()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<EdgeCaseTests.LongTimer>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EdgeCaseTests.LongTimer), null, new StartOrchestrationOptions("delivered-long"));
        await DeliverVisibleAsync(host);
        Assert.Equal(0, host.Store.QueueLength);

        // The host's DurableSweeper timer runs the sweep (every 30 s); within two intervals of the timer it sends it.
        host.Time.Advance(TimeSpan.FromDays(60) - TimeSpan.FromSeconds(50));
        await host.Worker.SweepAsync(CancellationToken.None);
        Assert.Equal(1, host.Store.QueueLength);
        Assert.Empty(await DeliverVisibleAsync(host));

        host.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.All(await DeliverVisibleAsync(host), outcome => Assert.Equal(DeliverySettlement.Completed, outcome));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_delivered_timer_a_few_seconds_early_is_held_in_the_invocation_and_fires_at_its_time()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TimerThenActivity>().AddActivity<ReliabilityTests.Noop>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerThenActivity), null, new StartOrchestrationOptions("delivered-held"));
        await DeliverVisibleAsync(host);
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var timer = Assert.Single(await host.Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        await host.Store.DeleteAsync(timer, CancellationToken.None);

        // As the queue hands it over up to a second early (whole-second delays): here 3 s before its time.
        var early = System.Text.Json.Nodes.JsonNode.Parse(timer.RawBody)!;
        var fireAt = host.Time.GetUtcNow() + TimeSpan.FromSeconds(3);
        early["event"]!["fireAt"] = fireAt;
        var invocation = host.Worker.HandleDeliveredAsync(early.ToJsonString(), 1, CancellationToken.None);

        // The hold is background work of the worker: once it runs, only the clock can release it.
        await Waiting.UntilAsync(() => host.Worker.BackgroundWorkCount > 0 || invocation.IsCompleted, "the held timer", TimeSpan.FromSeconds(30));

        Assert.Equal(1, host.Worker.BackgroundWorkCount);
        Assert.False(invocation.IsCompleted, "the invocation waits for the timer's time");
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);
        host.Time.Advance(TimeSpan.FromSeconds(3));
        var outcome = await invocation.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DeliverySettlement.Completed, outcome.Settlement);
        await host.Worker.WhenIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
        Assert.Equal(0, host.Store.QueueLength);
    }

    [Fact]
    public async Task A_failing_delivery_is_retried_by_the_host_then_poisoned_by_the_runtime_with_its_reason()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<ReliabilityTests.BrokenConstructor>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ReliabilityTests.BrokenConstructor), null, new StartOrchestrationOptions("delivered-poison"));
        var message = Assert.Single(await host.Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));

        var first = await host.Worker.HandleDeliveredAsync(message.RawBody, 1, CancellationToken.None);
        Assert.Equal(DeliverySettlement.Retry, first.Settlement);
        Assert.False(first.Succeeded);
        Assert.Empty(await host.Store.PeekPoisonAsync(10, CancellationToken.None));

        var last = await host.Worker.HandleDeliveredAsync(message.RawBody, 5, CancellationToken.None);
        Assert.Equal(DeliverySettlement.Poisoned, last.Settlement);
        Assert.True(last.Succeeded);
        Assert.Contains("constructor is broken", last.Reason, StringComparison.Ordinal);
        var poison = Assert.Single(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
        Assert.Equal(id, poison.InstanceId);
        var status = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal(TaskFailureDetails.PoisonMessageErrorType, status.FailureDetails!.ErrorType);
    }

    [Fact]
    public async Task A_delivery_seen_more_often_than_allowed_is_poisoned_without_running()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TimerThenActivity>().AddActivity<ReliabilityTests.Noop>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerThenActivity), null, new StartOrchestrationOptions("delivered-crash"));
        var message = Assert.Single(await host.Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));

        var outcome = await host.Worker.HandleDeliveredAsync(message.RawBody, 6, CancellationToken.None);

        Assert.Equal(DeliverySettlement.Poisoned, outcome.Settlement);
        Assert.Contains("Received 6 times", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await host.GetAsync(id)).RuntimeStatus);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("%%% neither JSON nor Base64")]
    public async Task An_unreadable_delivery_is_poisoned_with_the_reason(string body)
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TimerThenActivity>());

        var outcome = await host.Worker.HandleDeliveredAsync(body, 1, CancellationToken.None);

        Assert.Equal(DeliverySettlement.Poisoned, outcome.Settlement);
        var poison = Assert.Single(await host.Store.PeekPoisonAsync(10, CancellationToken.None));
        Assert.Equal(body, poison.Body);
    }

    [Fact]
    public async Task A_delivery_still_in_Base64_is_read_like_the_decoded_one()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<TimerThenActivity>().AddActivity<ReliabilityTests.Noop>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerThenActivity), null, new StartOrchestrationOptions("delivered-base64"));
        var message = Assert.Single(await host.Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));

        var outcome = await host.Worker.HandleDeliveredAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(message.RawBody)), 1, CancellationToken.None);

        Assert.Equal(DeliverySettlement.Completed, outcome.Settlement);
        Assert.NotNull((await host.Store.GetRecordAsync(id, CancellationToken.None))!.NextTimerAt);
    }

    /// <summary>Plays the Functions host: takes each visible message, hands it over, and deletes it when the answer succeeds.</summary>
    private static async Task<List<DeliverySettlement>> DeliverVisibleAsync(DurableTestHost host)
    {
        var outcomes = new List<DeliverySettlement>();
        foreach (var message in await host.Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            var outcome = await host.Worker.HandleDeliveredAsync(message.RawBody, message.DequeueCount, CancellationToken.None);
            outcomes.Add(outcome.Settlement);
            if (outcome.Succeeded)
            {
                await host.Store.DeleteAsync(message, CancellationToken.None);
            }
        }

        return outcomes;
    }

    internal sealed class TimerThenActivity : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            await context.CreateTimer(TimeSpan.FromSeconds(10), CancellationToken.None);
            await context.CallActivityAsync(nameof(ReliabilityTests.Noop));
            return "done";
        }
    }
}
