using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Http;

/// <summary><c>GET /api/health</c> (docs/api.md §6) of the real app: 200 over Azurite, 503 with the reason when storage is unreachable.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HealthApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_is_200_without_a_key_when_Azurite_answers_and_shows_the_engine_counters()
    {
        await using var app = await HostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub());

        using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("AzureStorage", health.GetProperty("store").GetString());
        Assert.True(health.GetProperty("storageLatencyMs").GetDouble() >= 0);
        Assert.True(health.GetProperty("storageRequests").GetInt64() > 0);
        Assert.True(health.GetProperty("storageRequestsByComponent").GetProperty("runtime").GetInt64() > 0, "the engine's requests are counted as runtime");
        foreach (var counter in new[] { "steps", "activities", "emptyPolls" })
        {
            Assert.True(health.GetProperty(counter).GetInt64() >= 0, counter);
        }
    }

    [Fact]
    public async Task Health_is_a_503_problem_with_the_reason_when_storage_becomes_unreachable()
    {
        await using var storage = StorageProxy.Start(azurite.ConnectionString);
        await using var app = await HostedApp.StartAsync(storage.ConnectionString, azurite.NewTaskHub());
        await WaitHealthyAsync(app);
        storage.Cut();
        var started = DateTime.UtcNow;
        try
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: null);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("Storage", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the health check should give up after about 3 s");
        }
        finally
        {
            // Back before the app stops, so its engine can hand its leases back.
            storage.Restore();
        }
    }

    [Theory]
    [InlineData("GET", "/api/instances", null)]
    [InlineData("GET", "/api/instances/some-id", null)]
    [InlineData("GET", "/api/callbacks?status=open", null)]
    [InlineData("POST", "/api/callbacks/callback-call-x/claim", "{\"supervisorId\":\"sup-1\"}")]
    [InlineData("POST", "/api/escalations/escalation-x-service-delay/acknowledge", "{\"by\":\"lead-1\"}")]
    public async Task Api_calls_are_a_503_problem_with_Retry_After_not_a_500_when_storage_is_unreachable(string method, string path, string? body)
    {
        await using var storage = StorageProxy.Start(azurite.ConnectionString);
        await using var app = await HostedApp.StartAsync(storage.ConnectionString, azurite.NewTaskHub());
        await WaitHealthyAsync(app);
        storage.Cut();
        try
        {
            using var response = await app.SendAsync(new HttpMethod(method), path, body);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Contains("Storage", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            storage.Restore();
        }
    }

    private static async Task WaitHealthyAsync(HostedApp app) =>
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: null);
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "health 200 with storage up");
}
