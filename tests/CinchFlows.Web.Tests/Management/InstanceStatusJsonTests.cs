using System.Text.Json.Nodes;
using CinchFlows.Web.Management;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Management;

public sealed class InstanceStatusJsonTests
{
    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Pending, 202)]
    [InlineData(OrchestrationRuntimeStatus.Running, 202)]
    [InlineData(OrchestrationRuntimeStatus.Suspended, 202)]
    [InlineData(OrchestrationRuntimeStatus.Completed, 200)]
    [InlineData(OrchestrationRuntimeStatus.Failed, 200)]
    [InlineData(OrchestrationRuntimeStatus.Terminated, 200)]
    public void StatusCodeFor_FinishedOr_Running(OrchestrationRuntimeStatus status, int expected) =>
        Assert.Equal(expected, InstanceStatusJson.StatusCodeFor(status));

    [Fact]
    public void ToJson_Completed_HasDurablesFieldsWithPayloadsAsJsonValues()
    {
        var instance = Metadata.Create(
            OrchestrationRuntimeStatus.Completed,
            input: """{"orderId":42,"items":["a","b"]}""",
            output: "\"approved\"",
            customStatus: """{"step":"done"}""");

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Equal(
            ["name", "instanceId", "runtimeStatus", "input", "customStatus", "output", "createdTime", "lastUpdatedTime"],
            json.Select(p => p.Key));
        Assert.Equal("ApproveOrder", (string?)json["name"]);
        Assert.Equal("order-42", (string?)json["instanceId"]);
        Assert.Equal("Completed", (string?)json["runtimeStatus"]);
        Assert.Equal(42, (int?)json["input"]!["orderId"]);
        Assert.IsType<JsonArray>(json["input"]!["items"]);
        Assert.Equal("done", (string?)json["customStatus"]!["step"]);
        Assert.Equal("approved", (string?)json["output"]);
        Assert.Equal("2025-01-31T09:00:00Z", json["createdTime"]!.ToJsonString().Trim('"'));
        Assert.Equal("2025-01-31T09:05:00Z", json["lastUpdatedTime"]!.ToJsonString().Trim('"'));
    }

    [Fact]
    public void ToJson_ShowInputFalse_LeavesInputOut()
    {
        var instance = Metadata.Create(OrchestrationRuntimeStatus.Running, input: "{}");

        var json = InstanceStatusJson.ToJson(instance, showInput: false);

        Assert.False(json.ContainsKey("input"));
        Assert.True(json.ContainsKey("output"));
    }

    [Fact]
    public void ToJson_NoPayloads_ShowsNulls()
    {
        var instance = Metadata.Create(OrchestrationRuntimeStatus.Pending);

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Null(json["input"]);
        Assert.Null(json["output"]);
        Assert.Null(json["customStatus"]);
        Assert.True(json.ContainsKey("output"));
    }

    [Fact]
    public void ToJson_TerminationReasonThatIsNotJson_StaysAString()
    {
        var instance = Metadata.Create(OrchestrationRuntimeStatus.Terminated, output: "customer hung up");

        Assert.Equal("customer hung up", (string?)InstanceStatusJson.ToJson(instance, showInput: true)["output"]);
    }

    [Fact]
    public void ToJson_Failed_HasFailureDetails()
    {
        var instance = Metadata.Create(
            OrchestrationRuntimeStatus.Failed,
            failure: new TaskFailureDetails("System.InvalidOperationException", "boom", StackTrace: null, InnerFailure: null, Properties: null));

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Equal("System.InvalidOperationException", (string?)json["failureDetails"]!["errorType"]);
        Assert.Equal("boom", (string?)json["failureDetails"]!["errorMessage"]);
    }

    [Fact]
    public void ToJson_Running_SaysWhatItWaitsForAndSinceWhen_FromTheFlowsStatus()
    {
        var instance = Metadata.Create(
            OrchestrationRuntimeStatus.Running,
            customStatus: """{"phase":"WaitingForConnect","text":"waiting for Customer Service (x69187) to answer","since":"2025-01-31T09:01:00Z"}""");

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Equal("waiting for Customer Service (x69187) to answer", (string?)json["waitingFor"]);
        Assert.Equal("2025-01-31T09:01:00Z", (string?)json["waitingSince"]);
        Assert.False(json.ContainsKey("failureDetails"));
    }

    [Fact]
    public void ToJson_Finished_WaitsForNothing()
    {
        var instance = Metadata.Create(OrchestrationRuntimeStatus.Completed, customStatus: """{"text":"connected","since":"2025-01-31T09:01:00Z"}""");

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.False(json.ContainsKey("waitingFor"));
        Assert.False(json.ContainsKey("waitingSince"));
    }

    [Fact]
    public void ToJson_WithHistory_ListsEventsWithEventType()
    {
        var instance = Metadata.Create(
            OrchestrationRuntimeStatus.Running);
        JsonObject[] history =
        [
            new() { ["EventType"] = "ExecutionStarted", ["Name"] = "ApproveOrder", ["Input"] = "{}" },
            new() { ["EventType"] = "TaskScheduled", ["EventId"] = 0, ["Name"] = "Charge", ["Input"] = "1" },
            new() { ["EventType"] = "TimerFired", ["TimerId"] = 1 },
        ];

        var json = InstanceStatusJson.ToJson(instance, showInput: true, history);

        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled", "TimerFired"],
            json["historyEvents"]!.AsArray().Select(e => (string?)e!["eventType"]));
    }

    [Fact]
    public void ToJson_WithoutHistory_HasNoHistoryEvents()
    {
        var instance = Metadata.Create(OrchestrationRuntimeStatus.Running);

        Assert.False(InstanceStatusJson.ToJson(instance, showInput: true).ContainsKey("historyEvents"));
    }
}
