using System.Net;
using System.Text;
using System.Text.Json;
using CinchFlows.Web.Webhooks;
using CinchFlows.IntegrationTests.Http;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.IntegrationTests.Webhooks;
using Microsoft.DurableTask.Client;

namespace CinchFlows.IntegrationTests.Supervision;

/// <summary>
/// Exactly one person acknowledges an escalation, also when several ask at the same moment (README "Operate it",
/// docs/api.md §4): truly parallel requests to the real host on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AcknowledgementRaceTests(AzuriteFixture azurite)
{
    private const int Supervisors = 6;

    [Fact]
    public async Task Parallel_acknowledgements_have_exactly_one_winner_the_others_get_409_naming_them_and_the_flow_records_the_winner()
    {
        await using var app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub());
        var job = "job-race-" + Guid.NewGuid().ToString("N")[..8];
        using (var raised = await app.PostWebhookAsync(
            TelephonyHostedApp.Event(TelephonyEventTypes.EscalationRaised, new { serviceJobId = job, reason = "service-delay", subReason = "general", raisedBy = "agent-1", contactRole = "customer" }),
            "msg_" + Guid.NewGuid().ToString("N")))
        {
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        }

        var escalationId = $"escalation-{job}-service-delay";
        await app.WaitForAsync(escalationId, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "to run");

        // Every request is built and every connection opened first; then all are released at once.
        var clients = Enumerable.Range(0, Supervisors).Select(_ => new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) }).ToList();
        var requests = new List<HttpRequestMessage>();
        try
        {
            foreach (var client in clients)
            {
                using var warm = await client.GetAsync("/api/health");
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }

            requests.AddRange(Enumerable.Range(0, Supervisors).Select(n =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/escalations/{escalationId}/acknowledge")
                {
                    Content = new StringContent(JsonSerializer.Serialize(new { by = $"lead-{n}" }), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.Person($"lead-{n}", "Supervisor"));
                return request;
            }));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sends = requests.Select(async (request, n) =>
            {
                await go.Task;
                using var response = await clients[n].SendAsync(request);
                return (By: $"lead-{n}", response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            go.SetResult();
            var answers = await Task.WhenAll(sends);

            var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var losers = answers.Where(a => a != winner).ToList();
            Assert.Equal(Supervisors - 1, losers.Count);
            Assert.All(losers, a =>
            {
                Assert.True(a.StatusCode == HttpStatusCode.Conflict, $"{a.By}: {(int)a.StatusCode} {a.Body}");
                Assert.Contains(winner.By, JsonDocument.Parse(a.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            });
            Assert.Equal(winner.By, JsonDocument.Parse(winner.Body).RootElement.GetProperty("acknowledgedBy").GetString());

            var done = await app.WaitForAsync(escalationId, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "to complete");
            Assert.Equal(winner.By, JsonDocument.Parse(done.SerializedOutput!).RootElement.GetProperty("acknowledgedBy").GetString());
        }
        finally
        {
            foreach (var request in requests)
            {
                request.Dispose();
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
