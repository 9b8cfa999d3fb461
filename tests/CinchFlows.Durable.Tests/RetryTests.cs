using CinchFlows.Durable.History;
using CinchFlows.Durable.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task Failing_activity_is_retried_with_growing_durable_waits_until_it_succeeds()
    {
        var flaky = new Flaky(failuresBeforeSuccess: 2);
        await using var host = new DurableTestHost(r => r.AddOrchestrator<RetriesFlaky>().AddActivity<FlakyActivity>(), services: s => s.AddSingleton(flaky));
        var start = host.Time.GetUtcNow();

        var id = await host.StartAsync(nameof(RetriesFlaky), null, "retry-1");
        Assert.Equal(1, flaky.Calls);

        await host.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, flaky.Calls);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.GetAsync(id)).RuntimeStatus);

        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, flaky.Calls);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);

        var timers = (await host.Client.GetHistoryAsync(id))!.OfType<TimerCreatedEvent>().Select(t => t.FireAt - start).ToList();
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)], timers);
    }

    [Fact]
    public async Task Retries_stop_after_the_last_attempt_and_the_failure_reaches_the_code()
    {
        var flaky = new Flaky(failuresBeforeSuccess: 99);
        await using var host = new DurableTestHost(r => r.AddOrchestrator<RetriesFlaky>().AddActivity<FlakyActivity>(), services: s => s.AddSingleton(flaky));

        var id = await host.StartAsync(nameof(RetriesFlaky), null, "retry-exhausted");
        await host.AdvanceAsync(TimeSpan.FromSeconds(10));
        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));

        var status = await host.GetAsync(id);
        Assert.Equal(3, flaky.Calls);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Contains("attempt 3", status.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_delay_grows_by_the_coefficient_and_stops_at_the_cap()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 3, maxRetryInterval: TimeSpan.FromSeconds(5));

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)],
            Enumerable.Range(1, 4).Select(policy.GetDelay));
    }

    internal sealed class Flaky(int failuresBeforeSuccess)
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public int Call() => Interlocked.Increment(ref calls) <= failuresBeforeSuccess ? throw new InvalidOperationException($"attempt {calls} failed") : calls;
    }

    internal sealed class FlakyActivity(Flaky flaky) : TaskActivity<object?, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, object? input) => Task.FromResult(flaky.Call());
    }

    internal sealed class RetriesFlaky : TaskOrchestrator<object?, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, object? input) =>
            context.CallActivityAsync<int>(nameof(FlakyActivity), options: TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(10), backoffCoefficient: 2)));
    }
}
