using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>
/// Ids from the path (<c>instanceId</c>, <c>callbackId</c>, <c>escalationId</c>) are checked before they reach storage
/// (docs/api.md §4, §5): one that no instance could have is a 404 problem on every route, never a storage 400 turned
/// into a 500, and the answer does not repeat it. The real host on Azurite, over HTTP.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PathIdTests(AzuriteFixture azurite)
{
    /// <summary>Ids as they go on the wire (percent-encoded): characters a table key forbids, a control character, a too-long id.</summary>
    public static readonly string[] BadIds =
    [
        "a%2Fb", "a%5Cb", "a%23b", "a%3Fb", "a%01b", "a%7Fb", "a%20b", "a%25b", new string('x', 2000), new string('x', 201),
    ];

    private static readonly string SupervisorPerson = TestTokens.Person("sup-1", "Supervisor");

    /// <summary>Every route that takes an id from its path, with a body its handler would otherwise accept.</summary>
    public static readonly (string Method, string Template, string? Body, string? Key)[] Routes =
    [
        ("GET", "/api/instances/{id}", null, HostedApp.OpsKey),
        ("POST", "/api/instances/{id}/raiseEvent/Approve", """{"by":"ops-1"}""", TestTokens.OpsPerson),
        ("POST", "/api/instances/{id}/terminate?reason=stuck", null, TestTokens.OpsPerson),
        ("POST", "/api/instances/{id}/suspend", null, TestTokens.OpsPerson),
        ("POST", "/api/instances/{id}/resume", null, TestTokens.OpsPerson),
        ("DELETE", "/api/instances/{id}", null, TestTokens.OpsPerson),
        ("POST", "/api/ops/stuck-flows/{id}/repair", """{"confirm":true}""", TestTokens.OpsPerson),
        ("POST", "/api/callbacks/{id}/claim", """{"supervisorId":"sup-1"}""", SupervisorPerson),
        ("POST", "/api/callbacks/{id}/complete", """{"supervisorId":"sup-1","outcome":"resolved"}""", SupervisorPerson),
        ("POST", "/api/escalations/{id}/acknowledge", """{"by":"sup-1"}""", SupervisorPerson),
    ];

    [Fact]
    public async Task An_id_no_instance_could_have_is_a_404_problem_on_every_route_and_is_not_repeated()
    {
        await using var app = await HostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub());
        var failures = new List<string>();
        foreach (var (method, template, body, key) in Routes)
        {
            foreach (var id in BadIds)
            {
                var path = template.Replace("{id}", id, StringComparison.Ordinal);
                using var response = await app.SendAsync(new HttpMethod(method), path, body, key);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.NotFound
                    || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || JsonSerializer.Deserialize<JsonElement>(text).GetProperty("status").GetInt32() != 404
                    || text.Contains("xxxxxxxxxxxxxxxxxxxx", StringComparison.Ordinal)
                    || text.Contains("a/b", StringComparison.Ordinal) || text.Contains("a#b", StringComparison.Ordinal) || text.Contains("a?b", StringComparison.Ordinal))
                {
                    failures.Add($"{method} {template} with {id[..Math.Min(id.Length, 12)]}… ({id.Length}): {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_start_with_an_id_no_instance_could_have_is_a_400_problem_and_starts_nothing()
    {
        await using var app = await HostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub());
        foreach (var id in BadIds)
        {
            using var response = await app.SendAsync(HttpMethod.Post, $"/api/orchestrators/ApprovalOrchestration/{id}", """{"customer":"c-1"}""");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{id[..Math.Min(id.Length, 12)]}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var list = await app.SendAsync(HttpMethod.Get, "/api/instances");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty(await list.Content.ReadFromJsonAsync<JsonElement[]>() ?? []);
    }
}
