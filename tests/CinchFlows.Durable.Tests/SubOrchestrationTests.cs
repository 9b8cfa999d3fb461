using CinchFlows.Durable.Tests.Support;

namespace CinchFlows.Durable.Tests;

public sealed class SubOrchestrationTests
{
    [Fact]
    public async Task Parent_gets_the_child_output_and_the_child_is_an_instance_of_its_own()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Parent>().AddOrchestrator<Child>().AddActivity<Double>());

        var id = await host.StartAsync(nameof(Parent), 21, "parent-1");

        var parent = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal(42, parent.ReadOutputAs<int>());
        var child = await host.GetAsync("parent-1:child");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
        Assert.Equal("parent-1", child.ParentInstanceId);
    }

    [Fact]
    public async Task Child_failure_reaches_the_parent_as_TaskFailedException()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Parent>().AddOrchestrator<Child>().AddActivity<Double>());

        var id = await host.StartAsync(nameof(Parent), -1, "parent-fails");

        var parent = await host.GetAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal(-1000, parent.ReadOutputAs<int>());
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await host.GetAsync("parent-fails:child")).RuntimeStatus);
    }

    [Fact]
    public async Task Fire_and_forget_start_runs_the_other_flow_without_the_parent_waiting()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Starter>().AddOrchestrator<WaitsForPing>());

        var id = await host.StartAsync(nameof(Starter), null, "starter-1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.GetAsync(id)).RuntimeStatus);
        var started = await host.GetAsync("pinger-1");
        Assert.Equal(OrchestrationRuntimeStatus.Running, started.RuntimeStatus);
        Assert.Null(started.ParentInstanceId);
    }

    [Fact]
    public async Task Starting_an_id_that_exists_leaves_the_existing_flow_alone()
    {
        await using var host = new DurableTestHost(r => r.AddOrchestrator<Starter>().AddOrchestrator<WaitsForPing>());
        await host.StartAsync(nameof(WaitsForPing), "original", "pinger-1");

        await host.StartAsync(nameof(Starter), null, "starter-2");

        Assert.Equal("\"original\"", (await host.GetAsync("pinger-1")).SerializedInput);
    }

    internal sealed class Parent : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            try
            {
                return await context.CallSubOrchestratorAsync<int>(nameof(Child), input, new SubOrchestrationOptions($"{context.InstanceId}:child"));
            }
            catch (TaskFailedException)
            {
                return -1000;
            }
        }
    }

    internal sealed class Child : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input) =>
            input < 0 ? throw new ArgumentOutOfRangeException(nameof(input)) : await context.CallActivityAsync<int>(nameof(Double), input);
    }

    internal sealed class Double : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input * 2);
    }

    internal sealed class Starter : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
            Task.FromResult(context.StartOrchestration(nameof(WaitsForPing), "from starter", new SubOrchestrationOptions("pinger-1")));
    }

    internal sealed class WaitsForPing : TaskOrchestrator<string, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, string input) => context.WaitForExternalEvent<string>("ping");
    }
}
