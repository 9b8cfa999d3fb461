using Azure.Storage.Queues.Models;
using CinchFlows.Flows;
using CinchFlows.Functions.Callbacks;
using CinchFlows.Functions.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CinchFlows.Functions.Tests.Callbacks;

/// <summary>The <c>callback-requests</c> queue trigger calls the standalone listener's handler through the client the extension binds (Moq on <see cref="DurableTaskClient"/>).</summary>
public sealed class CallbackRequestFunctionsTests
{
    private const string Request = """{"requestId":"r-1","customerId":"cust-1","channel":"web","callId":null}""";

    [Theory]
    [InlineData(Request)]
    [InlineData("eyJyZXF1ZXN0SWQiOiJyLTEiLCJjdXN0b21lcklkIjoiY3VzdC0xIiwiY2hhbm5lbCI6IndlYiJ9")]
    public async Task A_request_as_plain_json_or_base64_starts_F3_once(string body)
    {
        var client = FunctionsServices.Client();
        client.Setup(c => c.GetInstancesAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, _, options, _) => Task.FromResult(options!.InstanceId!));
        await using var services = FunctionsServices.Build(FunctionsServices.Client());
        var function = ActivatorUtilities.CreateInstance<CallbackRequestFunctions>(services);

        await function.CallbackRequests(QueuesModelFactory.QueueMessage("m-1", "pop", body, dequeueCount: 1), client.Object, CancellationToken.None);

        client.Verify(
            c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == FlowNames.SupervisorCallback), It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "callback-request-r-1"), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task A_passing_failure_before_the_last_attempt_is_thrown_so_the_host_shows_the_message_again()
    {
        var client = FunctionsServices.Client();
        client.Setup(c => c.GetInstancesAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "storage is down"));
        await using var services = FunctionsServices.Build(client);
        var function = ActivatorUtilities.CreateInstance<CallbackRequestFunctions>(services);

        await Assert.ThrowsAnyAsync<Exception>(() => function.CallbackRequests(QueuesModelFactory.QueueMessage("m-2", "pop", Request, dequeueCount: 1), client.Object, CancellationToken.None));
    }
}
