using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Supervision;

public sealed class SupervisorApiTests : IClassFixture<InProcessApp>
{
    private static readonly string[] NightZones = ["Pacific/Kiritimati", "Asia/Tokyo", "Asia/Kolkata", "Europe/London", "America/New_York", "Pacific/Pago_Pago"];

    private readonly InProcessApp app;

    public SupervisorApiTests(InProcessApp app) => this.app = app;

    [Fact]
    public async Task ListCallbacks_FiltersByStatus_WithTheDocumentedFields()
    {
        var open = await SeedAsync();
        var claimed = await SeedAsync();
        await ClaimAsync(claimed, "sup-list");

        using var all = await app.SendAsync(HttpMethod.Get, "/api/callbacks?status=open", TestKeys.Supervisor);
        var list = await all.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var item = list.EnumerateArray().Single(e => e.GetProperty("callbackId").GetString() == open);
        Assert.Equal("open", item.GetProperty("status").GetString());
        foreach (var field in new[] { "callbackId", "callId", "customerId", "status", "claimedBy", "createdTime", "dueTime", "flowId" })
        {
            Assert.True(item.TryGetProperty(field, out _), field);
        }

        Assert.DoesNotContain(list.EnumerateArray(), e => e.GetProperty("callbackId").GetString() == claimed);
        using var claimedList = await app.SendAsync(HttpMethod.Get, "/api/callbacks?status=claimed", TestKeys.Supervisor);
        Assert.Contains((await claimedList.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), e => e.GetProperty("callbackId").GetString() == claimed);
    }

    [Theory]
    [InlineData("/api/callbacks?status=lost")]
    [InlineData("/api/callbacks?status=1")]
    [InlineData("/api/callbacks?status=open&status=claimed")]
    [InlineData("/api/callbacks?top=0")]
    [InlineData("/api/callbacks?top=abc")]
    public async Task ListCallbacks_BadQuery_Is400(string path)
    {
        using var response = await app.SendAsync(HttpMethod.Get, path, TestKeys.Supervisor);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Claim_SameSupervisorTwice_Is200_AnotherSupervisor_Is409()
    {
        var id = await SeedAsync();

        using var first = await ClaimAsync(id, "sup-a");
        using var again = await ClaimAsync(id, "sup-a");
        using var rival = await ClaimAsync(id, "sup-b");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("claimed", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rival.StatusCode);
        Assert.Contains("already claimed by sup-a", await rival.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_NotClaimedByThatSupervisor_Is409_ByTheClaimer_Is200()
    {
        var id = await SeedAsync();
        using var early = await CompleteAsync(id, "sup-c", "resolved");
        await ClaimAsync(id, "sup-c");
        using var wrong = await CompleteAsync(id, "sup-d", "resolved");
        using var done = await CompleteAsync(id, "sup-c", "resolved");
        using var again = await CompleteAsync(id, "sup-c", "resolved");

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var body = await done.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("completed", "resolved"), (body.GetProperty("status").GetString(), body.GetProperty("outcome").GetString()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("the customer is diabetic and needs insulin cold")]
    [InlineData("Resolved")]
    [InlineData("")]
    public async Task Complete_OutcomeThatIsNotAShortCode_Is400_AndChangesNothing(string outcome)
    {
        var id = await SeedAsync();
        await ClaimAsync(id, "sup-e");

        using var response = await CompleteAsync(id, "sup-e", outcome);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(CallbackStatus.Claimed, (await Callbacks.GetAsync(id, default))!.Status);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"supervisorId\":42}")]
    [InlineData("{\"supervisorId\":\"has space\"}")]
    [InlineData("not json")]
    public async Task Claim_BadBody_Is400(string body)
    {
        var id = await SeedAsync();

        using var response = await app.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", TestTokens.Person("sup-bad", "Supervisor"), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(CallbackStatus.Open, (await Callbacks.GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task UnknownCallback_Is404()
    {
        using var claim = await ClaimAsync("callback-nobody", "sup-f");
        using var complete = await CompleteAsync("callback-nobody", "sup-f", "resolved");

        Assert.Equal(HttpStatusCode.NotFound, claim.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, complete.StatusCode);
    }

    [Fact]
    public async Task Routes_NeedTheSupervisorOrOpsRole()
    {
        var id = await SeedAsync();

        using var anonymous = await app.SendAsync(HttpMethod.Get, "/api/callbacks", key: null);
        using var wrong = await app.SendAsync(HttpMethod.Get, "/api/callbacks", key: "not-a-key");
        using var keyReads = await app.SendAsync(HttpMethod.Get, "/api/callbacks", TestKeys.Supervisor);
        using var ops = await app.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", TestTokens.Person("ops-1", "Ops"), JsonContent.Create(new { supervisorId = "ops-1" }));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyReads.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
    }

    [Fact]
    public async Task Acknowledge_RunningEscalation_Is200_AndReachesTheFlow()
    {
        var flows = app.Services.GetRequiredService<CallCenterFlowClient>();
        var id = await RunningAsync(await flows.StartEscalationAsync(new EscalationRaised("JOB-API-1", "service-delay", "general", "a", ContactRole.Customer, null, null), default));

        using var response = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", TestTokens.Person("lead-1", "Supervisor"), JsonContent.Create(new { by = "lead-1" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Waiting.UntilAsync(
            async () => (await app.HistoryAsync(id)).Raised(FlowEvents.EscalationAcknowledged).Any(),
            "the acknowledgement in the flow's history");
    }

    [Fact]
    public async Task Acknowledge_UnknownOrNotAnEscalation_Is404_Terminated_Is409()
    {
        var durable = app.Services.GetRequiredService<DurableTaskClient>();
        var other = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingOrchestration), null, new StartOrchestrationOptions("not-an-escalation-1"));
        var flows = app.Services.GetRequiredService<CallCenterFlowClient>();
        var id = (await flows.StartEscalationAsync(new EscalationRaised("JOB-API-2", "service-delay", "general", "a", ContactRole.Customer, null, null), default)).InstanceId;
        await durable.TerminateInstanceAsync(id, "test");
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await durable.WaitForInstanceCompletionAsync(id, deadline.Token);
        }


        using var unknown = await app.SendAsync(HttpMethod.Post, "/api/escalations/escalation-none/acknowledge", TestTokens.Person("lead-1", "Supervisor"), JsonContent.Create(new { by = "lead-1" }));
        using var notEscalation = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{other}/acknowledge", TestTokens.Person("lead-1", "Supervisor"), JsonContent.Create(new { by = "lead-1" }));
        using var terminated = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", TestTokens.Person("lead-1", "Supervisor"), JsonContent.Create(new { by = "lead-1" }));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notEscalation.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, terminated.StatusCode);
    }

    [Fact]
    public async Task Acknowledge_ByAnotherPerson_WhileTheFlowStillWaitsForAProviderCall_Is409()
    {
        // A zone where it is night now, so the flow stays running (waiting for the provider's business hours) after the acknowledgement.
        var zone = NightZones
            .First(z => TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, z).Hour is >= 19 or < 7);
        var flows = app.Services.GetRequiredService<CallCenterFlowClient>();
        var durable = app.Services.GetRequiredService<DurableTaskClient>();
        var id = await RunningAsync(await flows.StartEscalationAsync(new EscalationRaised("JOB-API-3", "service-delay", "general", "a", ContactRole.Customer, null, new ServiceProviderContact("prov-1", zone, "+15550100")), default));

        using var alice = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", TestTokens.Person("alice", "Supervisor"), JsonContent.Create(new { by = "alice" }));
        await Waiting.UntilAsync(
            async () => (await durable.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<FlowStatus>()?.AcknowledgedBy == "alice",
            "the flow to record the acknowledgement");

        using var bob = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", TestTokens.Person("bob", "Supervisor"), JsonContent.Create(new { by = "bob" }));
        using var aliceAgain = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{id}/acknowledge", TestTokens.Person("alice", "Supervisor"), JsonContent.Create(new { by = "alice" }));

        Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, bob.StatusCode);
        Assert.Contains("already acknowledged by alice", await bob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, aliceAgain.StatusCode);
        Assert.True((await durable.GetInstanceAsync(id))!.IsRunning);
    }

    [Fact]
    public async Task Acknowledge_EightPeopleAtTheSameMoment_ExactlyOneIs200_TheOthers409NamingTheWinner()
    {
        const int People = 8;
        var flows = app.Services.GetRequiredService<CallCenterFlowClient>();
        var id = await RunningAsync(await flows.StartEscalationAsync(new EscalationRaised("JOB-API-RACE", "service-delay", "general", "a", ContactRole.Customer, null, null), default));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new CountdownSignal(People);

        // Every request's headers reach the server first; then all bodies go at once, so the claims really race.
        var requests = Enumerable.Range(0, People).Select(async i =>
        {
            using var request = InProcessApp.Request(
                HttpMethod.Post,
                $"/api/escalations/{id}/acknowledge",
                TestTokens.Person($"lead-{i}", "Supervisor"),
                new GatedContent(JsonSerializer.SerializeToUtf8Bytes(new { by = $"lead-{i}" }), gate.Task, waiting));
            using var response = await app.Client.SendAsync(request);
            return (Status: response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        await waiting.All.Task.WaitAsync(TimeSpan.FromSeconds(15));
        gate.SetResult();
        var answers = await Task.WhenAll(requests);

        var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        var by = JsonDocument.Parse(winner.Body).RootElement.GetProperty("acknowledgedBy").GetString()!;
        var losers = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(People - 1, losers.Count);
        Assert.All(losers, a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            // "already acknowledged by …" while the flow runs; "… is Completed, acknowledged by …" once the winner's event ended it.
            Assert.Contains($"acknowledged by {by}", a.Body, StringComparison.Ordinal);
        });

        // Only the winner's acknowledgement reaches the flow, and the flow records the winner.
        var durable = app.Services.GetRequiredService<DurableTaskClient>();
        await Waiting.UntilAsync(
            async () => (await durable.GetInstanceAsync(id, getInputsAndOutputs: true)) is { } instance
                && (instance.ReadCustomStatusAs<FlowStatus>()?.AcknowledgedBy ?? instance.ReadOutputAs<SeverityEscalationOutput>()?.AcknowledgedBy) == by,
            "the flow to record the winner");
        var acknowledgements = (await app.HistoryAsync(id)).Raised(FlowEvents.EscalationAcknowledged).Select(e => e.Input()).ToList();
        Assert.Equal(by, FlowJson.Deserialize<EscalationAcknowledgement>(Assert.Single(acknowledgements))!.By);
    }

    [Fact]
    public async Task ListEscalations_Open_NearestDeadlineFirst_WithTheDocumentedFields_ThenAcknowledged_AndClosed()
    {
        var flows = app.Services.GetRequiredService<CallCenterFlowClient>();
        var durable = app.Services.GetRequiredService<DurableTaskClient>();
        var job = "JOB-LIST-" + Guid.NewGuid().ToString("N")[..6];

        // A Normal escalation (30 min) raised first, then a Medical Emergency one (5 min): the later one is due first.
        var normal = await RunningAsync(await flows.StartEscalationAsync(new EscalationRaised(job, "service-delay", "general", "agent-l1", ContactRole.Customer, null, null), default));
        var medical = await RunningAsync(await flows.StartEscalationAsync(new EscalationRaised(job, "medical-emergency", "disclosed", "agent-l2", ContactRole.Customer, null, null), default));
        var open = await WaitForListedAsync("open", list => Find(list, normal)?.GetProperty("dueTime").ValueKind == JsonValueKind.String && Find(list, medical)?.GetProperty("dueTime").ValueKind == JsonValueKind.String);

        var item = Find(open, medical)!.Value;
        Assert.Equal(
            ["escalationId", "serviceJobId", "route", "severity", "reason", "subReason", "raisedBy", "createdTime", "dueTime", "tier", "acknowledgedBy"],
            item.EnumerateObject().Select(p => p.Name));
        Assert.Equal((job, "ClaimsSpecialist", "MedicalEmergency", "medical-emergency", "disclosed", "agent-l2", "group"), (
            item.GetProperty("serviceJobId").GetString(), item.GetProperty("route").GetString(), item.GetProperty("severity").GetString(),
            item.GetProperty("reason").GetString(), item.GetProperty("subReason").GetString(), item.GetProperty("raisedBy").GetString(), item.GetProperty("tier").GetString()));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("acknowledgedBy").ValueKind);
        var created = item.GetProperty("createdTime").GetDateTimeOffset();
        Assert.InRange(item.GetProperty("dueTime").GetDateTimeOffset() - created, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
        Assert.Equal("CustomerServiceEscalations", Find(open, normal)!.Value.GetProperty("route").GetString());
        var ids = open.EnumerateArray().Select(e => e.GetProperty("escalationId").GetString()).ToList();
        Assert.True(ids.IndexOf(medical) < ids.IndexOf(normal), string.Join(", ", ids));
        var dues = open.EnumerateArray().Where(e => e.GetProperty("dueTime").ValueKind == JsonValueKind.String).Select(e => e.GetProperty("dueTime").GetDateTimeOffset()).ToList();
        Assert.Equal(dues.Order(), dues);

        // Acknowledged: out of the open list, into the acknowledged one with who did it.
        using (var ack = await app.SendAsync(HttpMethod.Post, $"/api/escalations/{medical}/acknowledge", TestTokens.Person("lead-list", "Supervisor"), JsonContent.Create(new { })))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        var acknowledged = await WaitForListedAsync("acknowledged", list => Find(list, medical) is not null);
        Assert.Equal("lead-list", Find(acknowledged, medical)!.Value.GetProperty("acknowledgedBy").GetString());
        Assert.Null(Find(await ListAsync("open"), medical));
        Assert.Null(Find(acknowledged, normal));

        // Terminated without anyone acknowledging: closed, and neither open nor acknowledged.
        await durable.TerminateInstanceAsync(normal, "test");
        var closed = await WaitForListedAsync("closed", list => Find(list, normal) is not null);
        Assert.Equal(JsonValueKind.Null, Find(closed, normal)!.Value.GetProperty("acknowledgedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, Find(closed, normal)!.Value.GetProperty("dueTime").ValueKind);
        Assert.Null(Find(closed, medical));
        Assert.Null(Find(await ListAsync("open"), normal));
        var newestFirst = closed.EnumerateArray().Select(e => e.GetProperty("createdTime").GetDateTimeOffset()).ToList();
        Assert.Equal(newestFirst.OrderDescending(), newestFirst);
    }

    [Fact]
    public async Task ListEscalations_Top_Limits_AndAnOpsPersonAndASupervisorKeyRead()
    {
        var flows = app.Services.GetRequiredService<CallCenterFlowClient>();
        for (var i = 0; i < 2; i++)
        {
            await RunningAsync(await flows.StartEscalationAsync(new EscalationRaised("JOB-TOP-" + Guid.NewGuid().ToString("N")[..6], "service-delay", "general", "a", ContactRole.Customer, null, null), default));
        }

        await WaitForListedAsync("open", list => list.GetArrayLength() >= 2);
        using var one = await app.SendAsync(HttpMethod.Get, "/api/escalations?status=open&top=1", TestTokens.Person("olga", "Ops"));
        using var anonymous = await app.SendAsync(HttpMethod.Get, "/api/escalations", key: null);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(1, (await one.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("/api/escalations?status=lost")]
    [InlineData("/api/escalations?status=1")]
    [InlineData("/api/escalations?status=open&status=closed")]
    [InlineData("/api/escalations?top=0")]
    [InlineData("/api/escalations?top=1001")]
    [InlineData("/api/escalations?top=abc")]
    public async Task ListEscalations_BadQuery_Is400(string path)
    {
        using var response = await app.SendAsync(HttpMethod.Get, path, TestKeys.Supervisor);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static JsonElement? Find(JsonElement list, string escalationId) =>
        list.EnumerateArray().Where(e => e.GetProperty("escalationId").GetString() == escalationId).Select(e => (JsonElement?)e).FirstOrDefault();

    private async Task<JsonElement> ListAsync(string status)
    {
        using var response = await app.SendAsync(HttpMethod.Get, $"/api/escalations?status={status}&top=1000", TestKeys.Supervisor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> WaitForListedAsync(string status, Func<JsonElement, bool> condition)
    {
        JsonElement list = default;
        await Waiting.UntilAsync(async () => condition(list = await ListAsync(status)), $"the {status} escalations to show it");
        return list;
    }

    private CallbackTaskClient Callbacks => app.Services.GetRequiredService<CallbackTaskClient>();

    /// <summary>
    /// Waits until the started escalation runs, as a supervisor only hears of it once it does (its first step sends the
    /// notification); an acknowledgement for a flow still Pending is a 503 "try again shortly", another test's subject.
    /// </summary>
    private async Task<string> RunningAsync(StartResult started)
    {
        var durable = app.Services.GetRequiredService<DurableTaskClient>();
        await Waiting.UntilAsync(
            async () => (await durable.GetInstanceAsync(started.InstanceId))?.RuntimeStatus == OrchestrationRuntimeStatus.Running,
            "the escalation to run");
        return started.InstanceId;
    }

    private Task<string> SeedAsync() => OpenCallbacks.SeedAsync(Callbacks, "callback-test-");

    private Task<HttpResponseMessage> ClaimAsync(string id, string supervisorId) =>
        app.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/claim", TestTokens.Person(supervisorId, "Supervisor"), JsonContent.Create(new { supervisorId }));

    private Task<HttpResponseMessage> CompleteAsync(string id, string supervisorId, string outcome) =>
        app.SendAsync(HttpMethod.Post, $"/api/callbacks/{id}/complete", TestTokens.Person(supervisorId, "Supervisor"), JsonContent.Create(new { supervisorId, outcome }));
}
