using System.Text.Json.Nodes;
using CinchFlows.Web.Management;

namespace CinchFlows.Web.Tests.Management;

/// <summary>History events as the backend stores them (DurableTask.Core's field names) shown in Durable's camelCase shape.</summary>
public sealed class HistoryEventJsonTests
{
    [Theory]
    [InlineData("ExecutionStarted")]
    [InlineData("OrchestratorStarted")]
    [InlineData("TaskScheduled")]
    [InlineData("TaskCompleted")]
    [InlineData("TaskFailed")]
    [InlineData("TimerCreated")]
    [InlineData("TimerFired")]
    [InlineData("EventRaised")]
    [InlineData("ExecutionCompleted")]
    [InlineData("ExecutionTerminated")]
    [InlineData("ExecutionSuspended")]
    [InlineData("ExecutionResumed")]
    public void ToJson_AnyEvent_HasItsKindAsEventTypeFirst(string eventType)
    {
        var json = HistoryEventJson.ToJson(Stored(eventType, new JsonObject { ["Timestamp"] = "2025-01-31T09:00:00Z", ["IsPlayed"] = true }));

        Assert.Equal(eventType, (string?)json["eventType"]);
        Assert.Equal("eventType", json.First().Key);
        Assert.True(json.ContainsKey("timestamp"));
        Assert.False(json.ContainsKey("isPlayed"));
    }

    [Fact]
    public void ToJson_TaskScheduled_HasCamelCaseFieldsItsTaskIdAndEmbedsTheInput()
    {
        var json = HistoryEventJson.ToJson(Stored("TaskScheduled", new JsonObject
        {
            ["EventId"] = 3,
            ["Name"] = "Charge",
            ["Input"] = """{"amount":12.5}""",
            ["Timestamp"] = "2025-01-31T09:00:00Z",
        }));

        Assert.Equal(3, (int?)json["taskId"]);
        Assert.Equal(3, (int?)json["eventId"]);
        Assert.Equal("Charge", (string?)json["name"]);
        Assert.Equal(12.5m, (decimal?)json["input"]!["amount"]);
        Assert.StartsWith("2025-01-31T09:00:00", (string?)json["timestamp"], StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_TaskCompleted_EmbedsTheResultAndNamesTheTaskItCompletes()
    {
        var json = HistoryEventJson.ToJson(Stored("TaskCompleted", new JsonObject { ["TaskScheduledId"] = 3, ["Result"] = "\"ok\"" }));

        Assert.Equal("ok", (string?)json["result"]);
        Assert.Equal(3, (int?)json["taskScheduledId"]);
        Assert.False(json.ContainsKey("taskId"));
    }

    [Fact]
    public void ToJson_TaskFailed_ShowsTheFailure()
    {
        var json = HistoryEventJson.ToJson(Stored("TaskFailed", new JsonObject
        {
            ["Reason"] = "card declined",
            ["FailureDetails"] = new JsonObject { ["ErrorType"] = "System.InvalidOperationException", ["ErrorMessage"] = "card declined" },
        }));

        Assert.Equal("card declined", (string?)json["reason"]);
        Assert.Equal("card declined", (string?)json["failureDetails"]!["ErrorMessage"]);
    }

    [Fact]
    public void ToJson_NullFields_AreLeftOut()
    {
        var json = HistoryEventJson.ToJson(Stored("EventRaised", new JsonObject { ["Name"] = "Approve", ["Input"] = null }));

        Assert.Equal(["eventType", "name"], json.Select(p => p.Key));
    }

    private static JsonObject Stored(string eventType, JsonObject fields)
    {
        fields["EventType"] = eventType;
        return fields;
    }
}
