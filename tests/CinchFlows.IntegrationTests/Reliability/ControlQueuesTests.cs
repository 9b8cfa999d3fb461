namespace CinchFlows.IntegrationTests.Reliability;

/// <summary><see cref="ControlQueues"/> against queues the backend named in a worker's log (full-size chaos run of 2026-12-07).</summary>
public sealed class ControlQueuesTests
{
    [Theory]
    [InlineData("medical-call-f38f5f-205", "control-00")]
    [InlineData("callback-call-call-2ab51f-215", "control-01")]
    [InlineData("callback-call-call-2ab51f-113", "control-02")]
    [InlineData("callback-call-call-2ab51f-154", "control-03")]
    [InlineData("escalation-sr-2ab51f-193-medical-emergency@call-2ab51f-193", "control-00")]
    public void TheQueueOfAnInstance_IsTheOneTheBackendUsedForIt(string instanceId, string queue) =>
        Assert.Equal(queue, ControlQueues.Of(instanceId, partitions: 4));
}
