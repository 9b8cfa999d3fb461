using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>Health (docs/api.md §6) of the real app: readiness 200 over Azurite, also when storage is slow; 503 with the reason when storage is gone (the storage error only to an ops key); liveness 200 throughout.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HealthApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_is_200_when_Azurite_answers_with_the_status_only_without_a_key_and_the_engine_counters_with_an_ops_key()
    {
        await using var app = await HostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub());

        using (var anonymous = await app.SendAsync(HttpMethod.Get, "/api/health", key: null))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
            Assert.Equal("""{"status":"Healthy"}""", await anonymous.Content.ReadAsStringAsync());
        }

        using var response = await app.SendAsync(HttpMethod.Get, "/api/health", key: HostedApp.OpsKey);

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
    public async Task Readiness_turns_503_with_the_reason_within_seconds_of_storage_going_away_and_200_when_it_returns_while_liveness_stays_200()
    {
        await using var storage = StorageProxy.Start(azurite.ConnectionString);
        await using var app = await HostedApp.StartAsync(storage.ConnectionString, azurite.NewTaskHub());
        await WaitHealthyAsync(app);
        storage.Cut();
        var cut = DateTime.UtcNow;
        try
        {
            // The engine's own requests fail from the moment storage goes; after Health:FailAfter (5 s) of nothing but
            // failures, readiness says so.
            HttpStatusCode last = default;
            JsonElement problem = default;
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    using var response = await app.SendAsync(HttpMethod.Get, "/api/health/ready", key: null);
                    last = response.StatusCode;
                    if (last == HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                        problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                    }

                    return last == HttpStatusCode.ServiceUnavailable;
                },
                TimeSpan.FromSeconds(20),
                "readiness to say 503 after storage went away");
            var down = DateTime.UtcNow - cut;
            Assert.True(down < TimeSpan.FromSeconds(15), $"readiness took {down.TotalSeconds:0.0} s to notice");
            Assert.Equal(503, problem.GetProperty("status").GetInt32());

            // Without an ops key: plain words only, never the storage error (it names the account and its address).
            Assert.Equal("Storage is not answering.", problem.GetProperty("detail").GetString());
            var storageAddress = new Uri(storage.ConnectionString.Split(';').Single(p => p.StartsWith("BlobEndpoint=", StringComparison.Ordinal))["BlobEndpoint=".Length..]);
            using (var health = await app.SendAsync(HttpMethod.Get, "/api/health", key: null))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                var text = await health.Content.ReadAsStringAsync();
                foreach (var secret in new[] { storageAddress.Authority, "127.0.0.1", "devstoreaccount1", "Exception" })
                {
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                }
            }

            // An ops key gets the reason as it is.
            using (var health = await app.SendAsync(HttpMethod.Get, "/api/health", key: HostedApp.OpsKey))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                var detail = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
                Assert.Contains("Storage", detail, StringComparison.Ordinal);
                Assert.NotEqual("Storage is not answering.", detail);
            }

            // Liveness never asks storage: the process is alive, so a restart would not help.
            using var live = await app.SendAsync(HttpMethod.Get, "/api/health/live", key: null);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            // Back before the app stops, so its engine can hand its leases back.
            storage.Restore();
        }

        await WaitHealthyAsync(app);
    }

    [Fact]
    public async Task Readiness_stays_200_while_storage_answers_every_request_slower_than_the_probe_timeout()
    {
        await using var storage = StorageProxy.Start(azurite.ConnectionString);
        await using var app = await HostedApp.StartAsync(storage.ConnectionString, azurite.NewTaskHub(), new Dictionary<string, string?>
        {
            ["Health:RecentAnswer"] = "00:00:10",
        });
        await WaitHealthyAsync(app);

        // Every answer of storage now takes 4 s: longer than the 3 s a probe may wait, as under a saturated account.
        storage.Slowdown = TimeSpan.FromSeconds(4);
        var slowed = System.Diagnostics.Stopwatch.StartNew();
        var table = new Azure.Data.Tables.TableClient(storage.ConnectionString, "slowcheck");

        // That the proxy holds answers back is checked, not assumed; a request of ours once came back sooner in a loaded
        // suite run (2026-12-07, not explained: every answer passes the same delay), so up to three are timed.
        var timings = new List<TimeSpan>();
        while (timings.Count < 3 && !timings.Exists(t => t >= TimeSpan.FromSeconds(4)))
        {
            var one = System.Diagnostics.Stopwatch.StartNew();
            await table.CreateIfNotExistsAsync();
            timings.Add(one.Elapsed);
        }

        Assert.True(timings.Exists(t => t >= TimeSpan.FromSeconds(4)), $"storage answers slowly through the proxy: {string.Join(", ", timings.Select(t => $"{t.TotalSeconds:0.00} s"))}");

        // Readiness is asked over more than twice the RecentAnswer window: the engine's own slow answers keep it ready.
        var answers = new List<(HttpStatusCode Code, string Check)>();
        while (slowed.Elapsed < TimeSpan.FromSeconds(25))
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/api/health/ready", key: HostedApp.OpsKey);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            answers.Add((response.StatusCode, body.TryGetProperty("storageCheck", out var check) ? check.GetString()! : body.GetProperty("detail").GetString()!));

            // Asked twice a second, as a load balancer's probe would.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        storage.Slowdown = TimeSpan.Zero;
        Assert.True(answers.Count >= 3, $"only {answers.Count} readiness answers");
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "recent-answer"), a));

        // Stop only once storage answers at its own pace again: the engine hands its leases back on the way out, and a
        // stop while answers still lag can run past the host's shutdown timeout on a busy machine.
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var response = await app.SendAsync(HttpMethod.Get, "/api/health/ready", key: HostedApp.OpsKey);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                return response.StatusCode == HttpStatusCode.OK && body.GetProperty("storageLatencyMs").GetDouble() < 1000;
            },
            TimeSpan.FromSeconds(30),
            "storage answering without the slowdown");
    }

    [Theory]
    [InlineData("GET", "/api/instances", null)]
    [InlineData("GET", "/api/instances/some-id", null)]
    [InlineData("GET", "/api/callbacks?status=open", null)]
    [InlineData("POST", "/api/callbacks/callback-call-x/claim", "{}")]
    [InlineData("POST", "/api/escalations/escalation-x-service-delay/acknowledge", "{}")]
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
