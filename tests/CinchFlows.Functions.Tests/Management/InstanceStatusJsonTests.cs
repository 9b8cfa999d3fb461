using System.Text.Json.Nodes;
using CinchFlows.Durable;
using CinchFlows.Durable.History;
using CinchFlows.Functions.Management;
using CinchFlows.Functions.Tests.Support;

namespace CinchFlows.Functions.Tests.Management;

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
    public async Task ToJson_Completed_HasDurablesFieldsWithPayloadsAsJsonValues()
    {
        var (instance, _) = await Metadata.CreateAsync(
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
    public async Task ToJson_ShowInputFalse_LeavesInputOut()
    {
        var (instance, _) = await Metadata.CreateAsync(OrchestrationRuntimeStatus.Running, input: "{}");

        var json = InstanceStatusJson.ToJson(instance, showInput: false);

        Assert.False(json.ContainsKey("input"));
        Assert.True(json.ContainsKey("output"));
    }

    [Fact]
    public async Task ToJson_NoPayloads_ShowsNulls()
    {
        var (instance, _) = await Metadata.CreateAsync(OrchestrationRuntimeStatus.Pending);

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Null(json["input"]);
        Assert.Null(json["output"]);
        Assert.Null(json["customStatus"]);
        Assert.True(json.ContainsKey("output"));
    }

    [Fact]
    public async Task ToJson_TerminationReasonThatIsNotJson_StaysAString()
    {
        var (instance, _) = await Metadata.CreateAsync(OrchestrationRuntimeStatus.Terminated, output: "customer hung up");

        Assert.Equal("customer hung up", (string?)InstanceStatusJson.ToJson(instance, showInput: true)["output"]);
    }

    [Fact]
    public async Task ToJson_Failed_HasFailureDetails()
    {
        var (instance, _) = await Metadata.CreateAsync(
            OrchestrationRuntimeStatus.Failed,
            failure: new TaskFailureDetails("System.InvalidOperationException", "boom"));

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Equal("System.InvalidOperationException", (string?)json["failureDetails"]!["errorType"]);
        Assert.Equal("boom", (string?)json["failureDetails"]!["errorMessage"]);
    }

    [Fact]
    public async Task ToJson_Waiting_SaysForWhatAndSinceWhen()
    {
        var (instance, _) = await Metadata.CreateAsync(
            OrchestrationRuntimeStatus.Running,
            waitingFor: "event 'Approve'",
            waitingSince: Metadata.Created.AddMinutes(1));

        var json = InstanceStatusJson.ToJson(instance, showInput: true);

        Assert.Equal("event 'Approve'", (string?)json["waitingFor"]);
        Assert.Equal("2025-01-31T09:01:00Z", json["waitingSince"]!.ToJsonString().Trim('"'));
        Assert.False(json.ContainsKey("failureDetails"));
    }

    [Fact]
    public async Task ToJson_WithHistory_ListsEventsWithEventType()
    {
        var (instance, history) = await Metadata.CreateAsync(
            OrchestrationRuntimeStatus.Running,
            history:
            [
                new ExecutionStartedEvent("ApproveOrder", "{}") { Timestamp = Metadata.Created },
                new TaskScheduledEvent(0, "Charge", "1") { Timestamp = Metadata.Created },
                new TimerFiredEvent(1, Metadata.Created) { Timestamp = Metadata.Created },
            ]);

        var json = InstanceStatusJson.ToJson(instance, showInput: true, history);

        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled", "TimerFired"],
            json["historyEvents"]!.AsArray().Select(e => (string?)e!["eventType"]));
    }

    [Fact]
    public async Task ToJson_WithoutHistory_HasNoHistoryEvents()
    {
        var (instance, _) = await Metadata.CreateAsync(OrchestrationRuntimeStatus.Running);

        Assert.False(InstanceStatusJson.ToJson(instance, showInput: true).ContainsKey("historyEvents"));
    }
}
