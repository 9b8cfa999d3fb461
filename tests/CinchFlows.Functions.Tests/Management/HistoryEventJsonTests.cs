using CinchFlows.Durable;
using CinchFlows.Durable.History;
using CinchFlows.Functions.Management;

namespace CinchFlows.Functions.Tests.Management;

public sealed class HistoryEventJsonTests
{
    public static TheoryData<HistoryEvent, string> Events() => new()
    {
        { new ExecutionStartedEvent("ApproveOrder", null), "ExecutionStarted" },
        { new OrchestratorStartedEvent(), "OrchestratorStarted" },
        { new TaskScheduledEvent(0, "Charge", null), "TaskScheduled" },
        { new TaskCompletedEvent(0, null), "TaskCompleted" },
        { new TaskFailedEvent(0, new TaskFailureDetails("E", "m")), "TaskFailed" },
        { new TimerCreatedEvent(1, DateTimeOffset.UnixEpoch), "TimerCreated" },
        { new TimerFiredEvent(1, DateTimeOffset.UnixEpoch), "TimerFired" },
        { new EventRaisedEvent("Approve", null), "EventRaised" },
        { new ExecutionCompletedEvent(OrchestrationRuntimeStatus.Completed, null, null), "ExecutionCompleted" },
        { new ExecutionTerminatedEvent("stop"), "ExecutionTerminated" },
        { new ExecutionSuspendedEvent(null), "ExecutionSuspended" },
        { new ExecutionResumedEvent(null), "ExecutionResumed" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void ToJson_AnyEvent_HasItsPascalCaseKindAsEventType(HistoryEvent historyEvent, string eventType)
    {
        var json = HistoryEventJson.ToJson(historyEvent);

        Assert.Equal(eventType, (string?)json["eventType"]);
        Assert.Equal("eventType", json.First().Key);
        Assert.DoesNotContain(json, p => p.Key.StartsWith('$'));
        Assert.True(json.ContainsKey("timestamp"));
    }

    [Fact]
    public void ToJson_TaskScheduled_HasFieldsAndEmbedsTheInput()
    {
        var json = HistoryEventJson.ToJson(new TaskScheduledEvent(3, "Charge", """{"amount":12.5}""") { Timestamp = new DateTimeOffset(2025, 1, 31, 9, 0, 0, TimeSpan.Zero) });

        Assert.Equal(3, (int?)json["taskId"]);
        Assert.Equal("Charge", (string?)json["name"]);
        Assert.Equal(12.5m, (decimal?)json["input"]!["amount"]);
        Assert.StartsWith("2025-01-31T09:00:00", (string?)json["timestamp"], StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_TaskCompleted_EmbedsTheResult()
    {
        var json = HistoryEventJson.ToJson(new TaskCompletedEvent(3, "\"ok\""));

        Assert.Equal("ok", (string?)json["result"]);
    }

    [Fact]
    public void ToJson_TaskFailed_ShowsTheFailure()
    {
        var json = HistoryEventJson.ToJson(new TaskFailedEvent(3, new TaskFailureDetails("System.InvalidOperationException", "card declined")));

        Assert.Equal("card declined", (string?)json["failure"]!["errorMessage"]);
    }
}
