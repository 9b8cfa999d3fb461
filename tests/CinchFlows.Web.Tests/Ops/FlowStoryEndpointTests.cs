using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Tests.Ops;

/// <summary><c>GET /api/ops/flows/{instanceId}/story</c> on the standalone host (in-memory store).</summary>
public sealed class FlowStoryEndpointTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Fact]
    public async Task TerminatedFlow_IsToldWithItsReason_WithAnOpsKeyToo()
    {
        var id = "story-" + Guid.NewGuid().ToString("N")[..10];
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions(id));
        await app.Durable.WaitForInstanceStartAsync(id);
        using (var terminate = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/terminate?reason=duplicate"))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        await app.Durable.WaitForInstanceCompletionAsync(id);

        using var response = await app.SendAsync(HttpMethod.Get, $"/api/ops/flows/{id}/story", TestKeys.Ops);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var story = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, story.GetProperty("instanceId").GetString());
        Assert.Equal("Terminated", story.GetProperty("runtimeStatus").GetString());
        Assert.Equal("terminated by ops: duplicate", story.GetProperty("standing").GetString());
        var last = story.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal("terminated by ops: duplicate", last.GetProperty("text").GetString());
        Assert.Equal("warning", last.GetProperty("kind").GetString());
        Assert.True(last.GetProperty("time").TryGetDateTimeOffset(out _));
    }

    [Fact]
    public async Task UnknownFlow_Is404()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/flows/nobody-" + Guid.NewGuid().ToString("N") + "/story");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InvalidId_Is404_WithoutRepeatingIt()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/flows/wrong%20%3Cid%3E/story");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<id>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", body, StringComparison.Ordinal); // not hex: the traceId cannot contain it by chance
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(TestKeys.Supervisor, HttpStatusCode.Forbidden)]
    public async Task NeedsTheOpsRole(string? key, HttpStatusCode expected)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/ops/flows/x/story", key);

        Assert.Equal(expected, response.StatusCode);
    }
}
