using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CinchFlows.DurableHub;
using CinchFlows.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Http;

/// <summary>The hosted app's answers that need no running engine: validation, errors, routing, health.</summary>
public sealed class HostedApiTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    [Fact]
    public async Task Start_WithId_Is202WithLocationAndAbsolutePayloadUris()
    {
        using var response = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-start-1", content: Json("""{"orderId":1}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payload = await response.Content.ReadFromJsonAsync<JsonElement>();
        var status = new Uri(app.BaseAddress, "/api/instances/unit-start-1").ToString();
        Assert.Equal("unit-start-1", payload.GetProperty("id").GetString());
        Assert.Equal(status, payload.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal(status, response.Headers.Location?.ToString());
        Assert.Equal(status + "/raiseEvent/{eventName}", payload.GetProperty("sendEventPostUri").GetString());
        Assert.Equal(status + "/terminate?reason={text}", payload.GetProperty("terminatePostUri").GetString());
        Assert.Equal(status + "/suspend?reason={text}", payload.GetProperty("suspendPostUri").GetString());
        Assert.Equal(status + "/resume?reason={text}", payload.GetProperty("resumePostUri").GetString());
        Assert.Equal(status, payload.GetProperty("purgeHistoryDeleteUri").GetString());
    }

    [Theory]
    [InlineData("/api/orchestrators/WaitingOrchestration/unit-headers-1", "POST", HttpStatusCode.Accepted)]
    [InlineData("/api/health", "GET", HttpStatusCode.OK)]
    [InlineData("/api/instances/unit-no-such-instance", "GET", HttpStatusCode.NotFound)]
    [InlineData("/api/orchestrators/NoSuchOrchestration/unit-x", "POST", HttpStatusCode.BadRequest)]
    public async Task Every_api_answer_is_no_store_and_nosniff(string path, string method, HttpStatusCode expected)
    {
        using var response = await app.SendAsync(new HttpMethod(method), path);

        Assert.Equal(expected, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_foreign_host_header_is_a_400_and_no_url_is_built_from_it()
    {
        using var request = InProcessApp.Request(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-host-1");
        request.Headers.Host = "attacker.example";

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("attacker.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        using var status = await app.SendAsync(HttpMethod.Get, "/api/instances/unit-host-1");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Start_SameIdTwice_IsTheSame202()
    {
        using var first = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-dup-1");
        using var second = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-dup-1", content: Json("{}"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
    }

    [Fact]
    public async Task Start_WithoutId_GetsANewId()
    {
        using var response = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
    }

    [Theory]
    [InlineData("/api/orchestrators/NoSuchOrchestration/unit-x")]
    [InlineData("/api/orchestrators/WaitingOrchestration/bad%20id!")]
    public async Task Start_UnknownNameOrBadId_Is400Problem(string path)
    {
        using var response = await app.SendAsync(HttpMethod.Post, path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/orchestrators/WaitingOrchestration/unit-bad-json")]
    [InlineData("/api/instances/unit-dup-1/raiseEvent/Approve")]
    public async Task Post_MalformedJson_Is400Problem(string path)
    {
        using var response = await app.SendAsync(HttpMethod.Post, path, content: Json("""{"approved": tru"""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_BodyOver64KiB_Is413Problem()
    {
        var body = JsonSerializer.Serialize(new { text = new string('x', 70 * 1024) });

        using var response = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-big", content: Json(body));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_ChunkedBodyOver64KiB_Is413Problem()
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { text = new string('x', 70 * 1024) }));

        using var response = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-big-chunked", content: new UnknownLengthContent(body));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Status_StartedInstance_Is202WithLocation()
    {
        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-status-1", content: Json("""{"orderId":7}"""));

        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances/unit-status-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(start.Headers.Location, response.Headers.Location);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("WaitingOrchestration", status.GetProperty("name").GetString());
        Assert.Equal(7, status.GetProperty("input").GetProperty("orderId").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/api/instances/unit-nobody")]
    [InlineData("GET", "/api/instances/bad%20id!")]
    [InlineData("POST", "/api/instances/unit-nobody/raiseEvent/Approve")]
    [InlineData("POST", "/api/instances/unit-nobody/terminate?reason=stuck")]
    [InlineData("POST", "/api/instances/unit-nobody/suspend")]
    [InlineData("POST", "/api/instances/unit-nobody/resume")]
    [InlineData("DELETE", "/api/instances/unit-nobody")]
    [InlineData("GET", "/api/no-such-route")]
    [InlineData("GET", "/api/instances/a/b/c/d")]
    public async Task UnknownInstanceOrRoute_Is404Problem(string method, string path)
    {
        using var response = await app.SendAsync(new HttpMethod(method), path);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Purge_RunningInstance_Is409Problem()
    {
        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/WaitingOrchestration/unit-purge-running");

        using var response = await app.SendAsync(HttpMethod.Delete, "/api/instances/unit-purge-running");

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("/api/instances?runtimeStatus=Sleeping")]
    [InlineData("/api/instances?createdTimeFrom=last-week")]
    [InlineData("/api/instances?top=0")]
    [InlineData("/api/instances/unit-dup-1?showHistory=yes")]
    public async Task BadQuery_Is400Problem(string path)
    {
        using var response = await app.SendAsync(HttpMethod.Get, path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongMethod_Is405Problem()
    {
        using var response = await app.SendAsync(HttpMethod.Put, "/api/instances/unit-dup-1");

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TestKeys.Supervisor)]
    public async Task Health_WithoutAnOpsKey_IsTheStatusOnly(string? key)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"Healthy"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_StoreAnswers_Is200WithTheStoreAndEveryCounter()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: TestKeys.Ops);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("InMemory", health.GetProperty("store").GetString());
        Assert.True(health.GetProperty("storageLatencyMs").GetDouble() >= 0);
        foreach (var counter in new[] { "storageRequests", "steps", "activities", "emptyPolls" })
        {
            Assert.True(health.GetProperty(counter).GetInt64() >= 0, counter);
        }

        // The total is the sum of the components; in memory nothing is sent to a storage account.
        var byComponent = health.GetProperty("storageRequestsByComponent").EnumerateObject().Sum(c => c.Value.GetInt64());
        Assert.Equal(byComponent, health.GetProperty("storageRequests").GetInt64());
        Assert.Equal(0, health.GetProperty("storageRequests").GetInt64());
        Assert.False(health.TryGetProperty("conflicts", out _), "the old engine's counter is gone");
    }

    [Fact]
    public async Task Health_AFlowThatRuns_CountsItsStepsAndActivity()
    {
        var before = await HealthAsync();

        using var start = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/EchoOrchestration/unit-health-echo", content: Json("\"ping\""));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        await Waiting.UntilAsync(
            async () => (await app.Durable.GetInstanceAsync("unit-health-echo"))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed,
            "the echo flow to complete");

        // The counters move when the backend commits, which may follow the completed status by a moment.
        await Waiting.UntilAsync(
            async () =>
            {
                var after = await HealthAsync();
                return after.GetProperty("steps").GetInt64() >= before.GetProperty("steps").GetInt64() + 2
                    && after.GetProperty("activities").GetInt64() >= before.GetProperty("activities").GetInt64() + 1;
            },
            "two more steps (schedule the activity, take its result) and one more activity on /api/health");
    }

    [Fact]
    public async Task Health_ShowsEachEngineCounterUnderItsOwnName()
    {
        // The in-memory backend hands work over without polling, so its empty polls (like its other counters) are driven here.
        var counters = app.Services.GetRequiredService<EngineCounters>();
        var before = await HealthAsync();
        for (var i = 0; i < 3000; i++)
        {
            counters.EmptyPoll();
            if (i < 2000)
            {
                counters.Activity();
            }

            if (i < 1000)
            {
                counters.Step();
            }
        }

        var after = await HealthAsync();

        // Other flows of this app may take a step or two meanwhile; the distinct amounts show which counter is which.
        foreach (var (name, added) in new[] { ("steps", 1000L), ("activities", 2000L), ("emptyPolls", 3000L) })
        {
            var delta = after.GetProperty(name).GetInt64() - before.GetProperty(name).GetInt64();
            Assert.InRange(delta, added, added + 100);
        }
    }

    private async Task<JsonElement> HealthAsync()
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: TestKeys.Ops);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
    }
}
