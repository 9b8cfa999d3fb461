using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Management;

/// <summary>
/// <c>showHistory=true</c> on the in-memory engine: the whole history, also of steps taken before the management API was
/// first used (flows started by webhooks, the callback queue or another flow never touch it).
/// </summary>
public sealed class InstanceHistoryTests : IAsyncLifetime
{
    // A fresh app per test: the first history request of the app's life is the point.
    private readonly InProcessApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();

    public Task DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task ShowHistory_AnInstanceThatFinishedBeforeAnyHistoryWasAskedFor_HasEveryEvent()
    {
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), new { orderId = 1 }, new StartOrchestrationOptions("unit-history-1"));
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync("unit-history-1"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the instance to run");
        await app.Durable.RaiseEventAsync("unit-history-1", "Approve", "yes");
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync("unit-history-1"))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "the instance to complete");

        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances/unit-history-1?showHistory=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("historyEvents").EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("eventType").GetString()).Where(t => t is not ("OrchestratorStarted" or "OrchestratorCompleted")).ToList();
        Assert.Equal(["ExecutionStarted", "EventRaised", "ExecutionCompleted"], types);
        var started = events.Single(e => e.GetProperty("eventType").GetString() == "ExecutionStarted");
        Assert.Equal(1, started.GetProperty("input").GetProperty("orderId").GetInt32());
        var raised = events.Single(e => e.GetProperty("eventType").GetString() == "EventRaised");
        Assert.Equal(("Approve", "yes"), (raised.GetProperty("name").GetString(), raised.GetProperty("input").GetString()));
    }

    [Fact]
    public async Task ShowHistory_ARunningInstanceThatTookItsFirstStepBeforeAnyHistoryWasAskedFor_HasItsStart()
    {
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions("unit-history-2"));
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync("unit-history-2"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the instance to run");

        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances/unit-history-2?showHistory=true");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var events = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("historyEvents").EnumerateArray();
        Assert.Contains(events, e => e.GetProperty("eventType").GetString() == "ExecutionStarted");
    }
}
