using CinchFlows.Flows;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Telephony;
using CinchFlows.Functions.Flows;
using CinchFlows.Functions.Hosting;
using CinchFlows.Functions.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CinchFlows.Functions.Tests.Flows;

/// <summary>The activity functions run the flows' activity classes with the invocation's services (Moq on <see cref="FunctionContext"/>).</summary>
public sealed class FlowActivityFunctionsTests
{
    [Fact]
    public async Task SendTelephonyCommand_runs_the_activity_class_with_the_invocations_services()
    {
        var commands = new Mock<ITelephonyCommands>();
        await using var services = new ServiceCollection().AddSingleton(commands.Object).BuildServiceProvider();
        var command = TelephonyCommand.AgentPrompt("call-1", "agent-1", "medical-emergency", "flow-1:agent-prompt");
        var functions = new FlowActivityFunctions(new BoundDurableTaskClient());

        Assert.True(await functions.SendTelephonyCommand(command, Context(services, "flow-1")));
        commands.Verify(c => c.SendAsync(command, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StartFlow_starts_the_other_flow_through_the_client_the_extension_bound()
    {
        var client = FunctionsServices.Client();
        client.Setup(c => c.GetInstancesAsync("callback-1", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("callback-1");
        var bound = new BoundDurableTaskClient();
        await using var services = new ServiceCollection().AddSingleton<DurableTaskClient>(bound).AddSingleton<CinchFlows.Flows.Starts.IStartClaims>(new CinchFlows.Flows.Starts.InMemoryStartClaims(TimeProvider.System)).BuildServiceProvider();
        var request = new StartFlowRequest(FlowNames.SupervisorCallback, "callback-1", System.Text.Json.JsonSerializer.SerializeToElement(new { callId = "call-1" }));

        var started = await new FlowActivityFunctions(bound).StartFlow(request, client.Object, Context(services, "medical-1"));

        Assert.True(bound.IsBound);
        Assert.Equal("callback-1", started.InstanceId);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == FlowNames.SupervisorCallback), It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "callback-1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_handler_before_any_function_bound_a_client_is_told_so()
    {
        var unbound = new BoundDurableTaskClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => unbound.GetInstancesAsync("x", false, CancellationToken.None));
        Assert.Contains("[DurableClient]", error.Message, StringComparison.Ordinal);
    }

    private static FunctionContext Context(IServiceProvider services, string instanceId)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?> { [FlowActivityFunctions.InstanceIdKey] = instanceId });
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InstanceServices).Returns(services);
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        return context.Object;
    }
}
