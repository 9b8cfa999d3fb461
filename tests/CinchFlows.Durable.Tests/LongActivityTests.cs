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

    internal sealed class Gate
    {
        private int runs;

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref runs);

        public void Ran() => Interlocked.Increment(ref runs);
    }

    internal sealed class Blocking(Gate gate) : TaskActivity<object?, int>
    {
        public override async Task<int> RunAsync(TaskActivityContext context, object? input)
        {
            gate.Ran();
            await gate.Open.Task;
            return gate.Runs;
        }
    }

    internal sealed class OneActivity : TaskOrchestrator<object?, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, object? input) => context.CallActivityAsync<int>(nameof(Blocking));
    }
}
