using System.Text.Json;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Starts;
using CinchFlows.Flows.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace CinchFlows.Flows.Tests.Shared;

public sealed class StartFlowActivityTests
{
    private static readonly JsonElement Input = JsonSerializer.SerializeToElement(new { customerId = "cust-9", priority = "High" });

    [Fact]
    public async Task StartsTheFlowUnderItsId_WithItsInputAsGiven()
    {
        var durable = new DurableClientMock();

        var result = await new StartFlowActivity(durable.Object, new InMemoryStartClaims(TimeProvider.System)).RunAsync(Mock.Of<TaskActivityContext>(), new StartFlowRequest(FlowNames.SupervisorCallback, "callback-medical-call-3", Input));

        Assert.Equal(new StartResult("callback-medical-call-3", true), result);
        var (name, input, options) = Assert.Single(durable.Scheduled);
        Assert.Equal((FlowNames.SupervisorCallback, "callback-medical-call-3"), (name.Name, options?.InstanceId));
        Assert.Equal(Input.GetRawText(), ((JsonElement)input!).GetRawText());
    }

    [Fact]
    public async Task RunAgain_LeavesTheStartedFlowAlone()
    {
        // Activities run at least once: a re-run after a crash must not replace the flow it started.
        var durable = new DurableClientMock().With("callback-medical-call-3", FlowNames.SupervisorCallback, OrchestrationRuntimeStatus.Running);

        var result = await new StartFlowActivity(durable.Object, new InMemoryStartClaims(TimeProvider.System)).RunAsync(Mock.Of<TaskActivityContext>(), new StartFlowRequest(FlowNames.SupervisorCallback, "callback-medical-call-3", Input));

        Assert.False(result.Created);
        Assert.Empty(durable.Scheduled);
    }
}
