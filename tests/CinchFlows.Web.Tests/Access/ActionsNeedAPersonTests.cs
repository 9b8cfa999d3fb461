using System.Net;
using System.Net.Http.Json;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Access;

/// <summary>A shared key names nobody, so it may read but never act: every action needs a person's token with the role.</summary>
public sealed class ActionsNeedAPersonTests : IClassFixture<InProcessApp>
{
    private readonly InProcessApp app;

    public ActionsNeedAPersonTests(InProcessApp app) => this.app = app;

    private CallbackTaskClient Callbacks => app.Services.GetRequiredService<CallbackTaskClient>();

    [Theory]
    [InlineData("claim")]
    [InlineData("complete")]
    public async Task SupervisorKey_OnACallbackAction_Is403_AndTheCallbackStaysOpen(string action)
    {
        var id = await SeedAsync();

        using var response = await app.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/{action}", TestKeys.Supervisor, JsonContent.Create(new { supervisorId = "alice", outcome = "resolved" }));

        await AssertSignInAsPersonAsync(response);
        var task = (await Callbacks.GetAsync(id, default))!;
        Assert.Equal(CallbackStatus.Open, task.Status);
        Assert.Null(task.ClaimedBy);
    }

    [Fact]
    public async Task SupervisorAndOpsKeys_OnAcknowledgeAndRepair_Are403()
    {
        using var acknowledge = await app.SendAsync(HttpMethod.Post, "/api/escalations/esc-key-1/acknowledge", TestKeys.Supervisor, JsonContent.Create(new { by = "alice" }));
        using var opsAcknowledge = await app.SendAsync(HttpMethod.Post, "/api/escalations/esc-key-1/acknowledge", TestKeys.Ops, JsonContent.Create(new { by = "alice" }));
        using var repair = await app.SendAsync(HttpMethod.Post, "/api/ops/stuck-flows/flow-key-1/repair", TestKeys.Ops, JsonContent.Create(new { confirm = true, by = "alice" }));

        await AssertSignInAsPersonAsync(acknowledge);
        await AssertSignInAsPersonAsync(opsAcknowledge);
        await AssertSignInAsPersonAsync(repair);
    }

    [Fact]
    public async Task OpsKey_OnTerminateRaiseEventPurgeStartSuspendResume_Is403_AndTheFlowRunsOn()
    {
        var id = await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions("key-actions-" + Guid.NewGuid().ToString("N")[..8]));
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the flow to run");

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, $"/api/instances/{id}/terminate"),
            (HttpMethod.Post, $"/api/instances/{id}/raiseEvent/Approve"),
            (HttpMethod.Delete, $"/api/instances/{id}"),
            (HttpMethod.Post, $"/api/instances/{id}/suspend"),
            (HttpMethod.Post, $"/api/instances/{id}/resume"),
            (HttpMethod.Post, $"/api/orchestrators/{nameof(EchoOrchestration)}"),
        })
        {
            using var response = await app.SendAsync(method, path, TestKeys.Ops, JsonContent.Create(new { }));
            await AssertSignInAsPersonAsync(response, $"{method} {path}");
        }

        using var status = await app.SendAsync(HttpMethod.Get, $"/api/instances/{id}", TestKeys.Ops);
        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode); // an ops key still reads: 202 while the flow runs
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await app.Durable.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task OpsPerson_Terminates_SupervisorPerson_Cannot()
    {
        var id = await app.Durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions("person-actions-" + Guid.NewGuid().ToString("N")[..8]));
        await Waiting.UntilAsync(async () => (await app.Durable.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the flow to run");

        using var supervisor = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/terminate", TestTokens.Person("sam@contoso.test", "Supervisor"));
        using var ops = await app.SendAsync(HttpMethod.Post, $"/api/instances/{id}/terminate", TestTokens.Person("olga@contoso.test", "Ops"));

        Assert.Equal(HttpStatusCode.Forbidden, supervisor.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ops.StatusCode);
    }

    [Fact]
    public async Task SupervisorPerson_Claims_AsThemselves()
    {
        var id = await SeedAsync();

        using var claim = await app.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", TestTokens.Person("alice", "Supervisor"), JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Equal("alice", (await Callbacks.GetAsync(id, default))!.ClaimedBy);
    }

    private static async Task AssertSignInAsPersonAsync(HttpResponseMessage response, string? what = null)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sign in as yourself", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<string> SeedAsync() => OpenCallbacks.SeedAsync(Callbacks, "callback-key-");
}
