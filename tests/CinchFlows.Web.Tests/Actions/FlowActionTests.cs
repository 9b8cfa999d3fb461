using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Standalone;
using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Actions;

/// <summary>Every action is recorded with who did it (the token's person), the status answered and the reason code, and listed oldest first.</summary>
public sealed class FlowActionTests(InProcessApp app) : IClassFixture<InProcessApp>
{
    private static readonly string Alice = TestTokens.Person("alice@contoso.test", "Supervisor");
    private static readonly string Bob = TestTokens.Person("bob@contoso.test", "Supervisor");
    private static readonly string Olga = TestTokens.Person("olga@contoso.test", "Ops");

    [Fact]
    public async Task Claim_by_a_person_is_recorded_with_the_tokens_id_and_a_second_claim_with_409()
    {
        var id = await SeedCallbackAsync(app.Services);

        using var first = await app.SendAsPersonAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", Alice, JsonContent.Create(new { }));
        using var rival = await app.SendAsPersonAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", Bob, JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rival.StatusCode);

        var actions = await ActionsAsync(id);
        Assert.Equal(2, actions.Length);
        Assert.Equal(("claim", "alice@contoso.test", "supervisor", 200), Row(actions[0]));
        Assert.Equal(("claim", "bob@contoso.test", "supervisor", 409), Row(actions[1]));
        Assert.Equal(JsonValueKind.Null, actions[0].GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task A_callbacks_actions_go_to_the_flow_it_belongs_to()
    {
        var flowId = "flow-" + Guid.NewGuid().ToString("N")[..12];
        var id = await SeedCallbackAsync(app.Services, flowId);

        using var claim = await app.SendAsPersonAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", Alice, JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Equal("claim", Assert.Single(await ActionsAsync(flowId)).GetProperty("action").GetString());
        Assert.Empty(await ActionsAsync(id));
    }

    [Fact]
    public async Task Terminate_is_recorded_with_its_reason_code_after_the_start_oldest_first()
    {
        var id = "actions-" + Guid.NewGuid().ToString("N")[..12];
        using var start = await app.SendAsPersonAsync(HttpMethod.Post, $"/api/orchestrators/WaitingOrchestration/{id}", Olga);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        using var terminate = await app.SendAsPersonAsync(HttpMethod.Post, $"/api/instances/{id}/terminate?reason=test-call", Olga);
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);

        // Another person's action on the finished flow is refused and recorded with its answer.
        using var late = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/suspend?reason=stuck");

        var actions = await ActionsAsync(id);
        Assert.Equal(["start", "terminate", "suspend"], actions.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(("terminate", "olga@contoso.test", "ops", 202), Row(actions[1]));
        Assert.Equal("test-call", actions[1].GetProperty("reason").GetString());
        Assert.Equal("ops-lead@contoso.test", actions[2].GetProperty("by").GetString());
        Assert.Equal((int)late.StatusCode, actions[2].GetProperty("outcome").GetInt32());
        var times = actions.Select(a => a.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Theory]
    [InlineData(CallerClaims.KeyKind)]
    [InlineData(CallerClaims.AppKind)]
    public void A_caller_that_names_no_person_is_recorded_as_unknown_never_as_a_machine_name(string kind)
    {
        // No action admits such a caller; were a policy to let one through, the row must not look like a known actor.
        var machine = new ClaimsPrincipal(new ClaimsIdentity(
            [new(CallerClaims.Kind, kind), new(ClaimTypes.Name, "nightly-job"), new(ClaimTypes.Role, "ops")], "test", ClaimTypes.Name, ClaimTypes.Role));

        Assert.Equal(ActionRecorder.NoPerson, ActionRecorder.ByOf(machine));
        Assert.Equal("olga@contoso.test", ActionRecorder.ByOf(new ClaimsPrincipal(new ClaimsIdentity(
            [new(CallerClaims.Kind, CallerClaims.PersonKind), new(CallerClaims.PersonId, "olga@contoso.test")], "test"))));
    }

    [Theory]
    [InlineData("bad%20id")]
    [InlineData("a%2Fb")]
    public async Task An_invalid_id_is_404(string id)
    {
        using var response = await app.SendAsync(HttpMethod.Get, $"/api/ops/flows/{id}/actions");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_list_needs_the_ops_role()
    {
        using var supervisor = await app.SendAsync(HttpMethod.Get, "/api/ops/flows/x/actions", TestKeys.Supervisor);
        using var nobody = await app.SendAsync(HttpMethod.Get, "/api/ops/flows/x/actions", key: null);

        Assert.Equal(HttpStatusCode.Forbidden, supervisor.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    [Fact]
    public async Task A_failing_action_log_does_not_change_the_actions_answer()
    {
        await using var failing = CinchFlowsApp.Build(
            [],
            configure: builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Urls"] = "http://127.0.0.1:0",
                    ["Durable:Store"] = "InMemory",
                    ["Identity:Issuer"] = TestTokens.Issuer,
                    ["Identity:Audience"] = TestTokens.Audience,
                    ["Identity:SigningKey"] = TestTokens.SigningKey,
                    ["Logging:LogLevel:Default"] = "Critical",
                });
                builder.Services.AddSingleton<IActionLog, FailingActionLog>();
            });
        await failing.StartAsync();
        var id = await SeedCallbackAsync(failing.Services);
        using var client = new HttpClient { BaseAddress = new Uri(failing.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/callbacks/{id}/claim") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", Alice);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice@contoso.test", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString());
        Assert.Equal(1, failing.Services.GetRequiredService<IActionLog>() is FailingActionLog log ? log.Tries : -1);
        await failing.StopAsync();
    }

    private static (string?, string?, string?, int) Row(JsonElement action) =>
        (action.GetProperty("action").GetString(), action.GetProperty("by").GetString(), action.GetProperty("role").GetString(), action.GetProperty("outcome").GetInt32());

    private static async Task<string> SeedCallbackAsync(IServiceProvider services, string? flowId = null)
    {
        var id = "callback-actions-" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow;
        await services.GetRequiredService<CallbackTaskClient>().OpenAsync(new CallbackTask
        {
            CallbackId = id,
            CallId = "call-" + id,
            CustomerId = "cust-1",
            Status = CallbackStatus.Open,
            CreatedTime = now,
            DueTime = now.AddMinutes(15),
            FlowId = flowId ?? id,
            Priority = CallbackPriority.Normal,
            Reason = CallbackReason.SupervisorRequested,
            Tier = "supervisor",
        }, default);
        return id;
    }

    private async Task<JsonElement[]> ActionsAsync(string instanceId)
    {
        using var response = await app.SendAsync(HttpMethod.Get, $"/api/ops/flows/{instanceId}/actions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    private sealed class FailingActionLog : IActionLog
    {
        private int tries;

        public int Tries => tries;

        public Task RecordAsync(string instanceId, FlowAction action, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref tries);
            throw new InvalidOperationException("The action log is down.");
        }

        public Task<IReadOnlyList<FlowAction>> ListAsync(string instanceId, int max, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The action log is down.");
    }
}
