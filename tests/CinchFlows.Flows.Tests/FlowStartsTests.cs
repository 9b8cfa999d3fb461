using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace CinchFlows.Flows.Tests;

/// <summary>A start never replaces a flow: <see cref="FlowStarts.StartOnceAsync"/> on a mocked client.</summary>
public sealed class FlowStartsTests
{
    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Pending)]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Failed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    [InlineData(OrchestrationRuntimeStatus.Suspended)]
    public async Task ExistingId_SchedulesNothing_AndAnswersNotCreated(OrchestrationRuntimeStatus status)
    {
        var client = Client();
        client.Setup(c => c.GetInstanceAsync("medical-call-1", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(FlowNames.MedicalEmergencyTransfer, "medical-call-1") { RuntimeStatus = status });

        var result = await client.Object.StartOnceAsync(FlowNames.MedicalEmergencyTransfer, new { callId = "call-1" }, "medical-call-1", default);

        Assert.Equal(new StartResult("medical-call-1", Created: false), result);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task NewId_IsScheduledUnderIt_WithEveryDedupeStatus()
    {
        var client = Client();
        var input = new { callId = "call-2" };
        client.Setup(c => c.GetInstanceAsync("medical-call-2", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        StartOrchestrationOptions? options = null;
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == FlowNames.MedicalEmergencyTransfer), input, It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, _, o, _) => options = o)
            .ReturnsAsync("medical-call-2");

        var result = await client.Object.StartOnceAsync(FlowNames.MedicalEmergencyTransfer, input, "medical-call-2", default);

        Assert.Equal(new StartResult("medical-call-2", Created: true), result);
        Assert.Equal("medical-call-2", options?.InstanceId);
        Assert.Equal(
            StartOrchestrationOptionsExtensions.ValidDedupeStatuses.Select(s => s.ToString()).Order(StringComparer.Ordinal),
            options?.DedupeStatuses?.Order(StringComparer.Ordinal));
        Assert.Contains(nameof(OrchestrationRuntimeStatus.Running), options!.DedupeStatuses!);
    }

    [Fact]
    public async Task AStartThatLosesTheRace_IsAnsweredAsNotCreated()
    {
        // Two starts of one id at once: both see no instance; the backend refuses the second ("already exists").
        var client = Client();
        client.Setup(c => c.GetInstanceAsync("medical-call-3", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("An orchestration with id 'medical-call-3' already exists."));

        var result = await client.Object.StartOnceAsync(FlowNames.MedicalEmergencyTransfer, new { callId = "call-3" }, "medical-call-3", default);

        Assert.Equal(new StartResult("medical-call-3", Created: false), result);
    }

    [Fact]
    public async Task OtherFailures_AreNotTakenForAnExistingFlow()
    {
        var client = Client();
        client.Setup(c => c.GetInstanceAsync("medical-call-4", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("hub unavailable"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.Object.StartOnceAsync(FlowNames.MedicalEmergencyTransfer, new { callId = "call-4" }, "medical-call-4", default));
    }

    private static Mock<DurableTaskClient> Client() => new(MockBehavior.Strict, "test");
}
