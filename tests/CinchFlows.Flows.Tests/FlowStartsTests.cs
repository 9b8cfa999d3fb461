using System.Globalization;
using CinchFlows.Flows.Starts;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Flows.Tests;

/// <summary>A start never replaces a flow: <see cref="FlowStarts.StartOnceAsync"/> on a mocked client.</summary>
public sealed class FlowStartsTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.Parse("2026-12-05T08:00:00Z", CultureInfo.InvariantCulture));
    private readonly InMemoryStartClaims claims;

    public FlowStartsTests() => claims = new InMemoryStartClaims(clock);

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

        var result = await client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, new { callId = "call-1" }, "medical-call-1", default);

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

        var result = await client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, input, "medical-call-2", default);

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

        var result = await client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, new { callId = "call-3" }, "medical-call-3", default);

        Assert.Equal(new StartResult("medical-call-3", Created: false), result);
    }

    [Fact]
    public async Task OtherFailures_AreNotTakenForAnExistingFlow()
    {
        var client = Client();
        client.Setup(c => c.GetInstanceAsync("medical-call-4", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("hub unavailable"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, new { callId = "call-4" }, "medical-call-4", default));
    }

    [Fact]
    public async Task TwoStartsAtOnce_OnlyOneReachesTheBackend_TheOtherIsToldToRetry()
    {
        // Both look the id up before either has scheduled (the race the backend does not guard): the first holds the
        // claim while its schedule is in flight, so the second schedules nothing.
        var client = Client();
        var scheduling = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduled = 0;
        client.Setup(c => c.GetInstanceAsync("medical-call-5", false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                Interlocked.Increment(ref scheduled);
                return scheduling.Task;
            });

        var first = client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, new { callId = "call-5" }, "medical-call-5", default);
        var second = client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, new { callId = "call-5" }, "medical-call-5", default);
        scheduling.SetResult("medical-call-5");

        Assert.Equal(new StartResult("medical-call-5", Created: true), await first);
        var refused = Assert.IsType<FlowStartingException>(await Record.ExceptionAsync(() => second));
        Assert.Equal(1, scheduled);
        Assert.Contains("medical-call-5", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStartThatFindsTheClaimHeld_AndTheFlowThere_IsAnsweredAsNotCreated()
    {
        var client = Client();
        var held = await claims.TryClaimAsync("medical-call-6", default);
        client.Setup(c => c.GetInstanceAsync("medical-call-6", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(FlowNames.MedicalEmergencyTransfer, "medical-call-6") { RuntimeStatus = OrchestrationRuntimeStatus.Pending });

        var result = await client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, new { callId = "call-6" }, "medical-call-6", default);

        Assert.NotNull(held);
        Assert.Equal(new StartResult("medical-call-6", Created: false), result);
    }

    [Fact]
    public async Task TheClaimIsReleased_AfterAStart_AndAfterAFailedOne()
    {
        var client = Client();
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "ok-1"), It.IsAny<CancellationToken>()))
            .ReturnsAsync("ok-1");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "failed-1"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("hub unavailable"));

        await client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, null, "ok-1", default);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.Object.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, null, "failed-1", default));

        Assert.NotNull(await claims.TryClaimAsync("ok-1", default));
        Assert.NotNull(await claims.TryClaimAsync("failed-1", default));
    }

    [Fact]
    public async Task AClaimWhoseHolderDied_IsTakenOverAfterItsTimeout_Only()
    {
        var dead = await claims.TryClaimAsync("medical-call-7", default);

        clock.Advance(StartClaim.Timeout);
        Assert.Null(await claims.TryClaimAsync("medical-call-7", default));
        clock.Advance(TimeSpan.FromSeconds(1));
        var next = await claims.TryClaimAsync("medical-call-7", default);

        Assert.NotNull(dead);
        Assert.NotNull(next);
        await claims.ReleaseAsync(dead!, default);
        Assert.Null(await claims.TryClaimAsync("medical-call-7", default));
    }

    private static Mock<DurableTaskClient> Client() => new(MockBehavior.Strict, "test");
}
