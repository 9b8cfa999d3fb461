using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>
/// The management API (docs/api.md §5) of the real app on Kestrel, over Azurite, with a real HttpClient. Every test gets its
/// own app and task hub, and stops the app when it ends.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ManagementApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private HostedApp app = null!;

    public async Task InitializeAsync() => app = await HostedApp.StartAsync(azurite.ConnectionString, azurite.NewTaskHub());

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Start_answers_202_with_Location_and_absolute_management_uris()
    {
        using var response = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/ApprovalOrchestration/appr-start", """{"customer":"c-1"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payload = await response.Content.ReadFromJsonAsync<JsonElement>();
        var status = new Uri(app.BaseAddress, "/api/instances/appr-start").ToString();
        Assert.Equal(status, response.Headers.Location?.ToString());
        Assert.Equal("appr-start", payload.GetProperty("id").GetString());
        Assert.Equal(status, payload.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal($"{status}/raiseEvent/{{eventName}}", payload.GetProperty("sendEventPostUri").GetString());
        Assert.Equal($"{status}/terminate?reason={{text}}", payload.GetProperty("terminatePostUri").GetString());
        Assert.Equal($"{status}/suspend?reason={{text}}", payload.GetProperty("suspendPostUri").GetString());
        Assert.Equal($"{status}/resume?reason={{text}}", payload.GetProperty("resumePostUri").GetString());
        Assert.Equal(status, payload.GetProperty("purgeHistoryDeleteUri").GetString());
    }

    [Fact]
    public async Task A_duplicate_start_answers_the_same_202_and_starts_nothing_new()
    {
        var first = await app.StartAsync("ApprovalOrchestration", "appr-dup", """{"customer":"first"}""");
        var second = await app.StartAsync("ApprovalOrchestration", "appr-dup", """{"customer":"second"}""");

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("statusQueryGetUri").GetString(), second.GetProperty("statusQueryGetUri").GetString());
        var (_, status) = await app.GetStatusAsync("appr-dup");
        Assert.Equal("first", status.GetProperty("input").GetProperty("customer").GetString());
        using var list = await app.SendAsync(HttpMethod.Get, "/api/instances?instanceIdPrefix=appr-dup");
        Assert.Single((await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }

    [Fact]
    public async Task A_start_without_an_id_gets_a_new_one()
    {
        var payload = await app.StartAsync("ApprovalOrchestration", null, """{"customer":"c-2"}""");

        var id = payload.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        var (code, _) = await app.GetStatusAsync(id!);
        Assert.Equal(HttpStatusCode.Accepted, code);
    }

    [Fact]
    public async Task Status_is_202_while_waiting_and_200_with_the_output_once_the_event_completes_it()
    {
        await app.StartAsync("ApprovalOrchestration", "appr-flow", """{"customer":"c-3"}""");
        var waiting = await app.WaitForStatusAsync("appr-flow", "Running");

        using (var running = await app.SendAsync(HttpMethod.Get, "/api/instances/appr-flow"))
        {
            Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
            Assert.Equal(new Uri(app.BaseAddress, "/api/instances/appr-flow"), running.Headers.Location);
        }

        Assert.Equal("ApprovalOrchestration", waiting.GetProperty("name").GetString());
        Assert.Equal("appr-flow", waiting.GetProperty("instanceId").GetString());
        Assert.Equal("waiting-for-approval", waiting.GetProperty("customStatus").GetProperty("stage").GetString());
        Assert.Contains(ApprovalOrchestration.ApproveEvent, waiting.GetProperty("waitingFor").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(waiting.TryGetProperty("waitingSince", out _));

        using (var raised = await app.SendAsync(HttpMethod.Post, "/api/instances/appr-flow/raiseEvent/Approve", """{"by":"sam"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        }

        await app.WaitForStatusAsync("appr-flow", "Completed");
        var (code, done) = await app.GetStatusAsync("appr-flow");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("c-3", done.GetProperty("input").GetProperty("customer").GetString());
        Assert.Equal("sam", done.GetProperty("output").GetProperty("approvedBy").GetString());
        Assert.Equal("receipt:c-3:sam", done.GetProperty("output").GetProperty("receipt").GetString());
        Assert.Equal("approved", done.GetProperty("customStatus").GetProperty("stage").GetString());
        Assert.EndsWith("Z", done.GetProperty("createdTime").GetString(), StringComparison.Ordinal);
        Assert.True(done.GetProperty("lastUpdatedTime").GetDateTimeOffset() >= done.GetProperty("createdTime").GetDateTimeOffset());
        Assert.False(done.TryGetProperty("historyEvents", out _));
    }

    [Fact]
    public async Task ShowHistory_lists_the_events_with_their_eventType_and_showInput_false_hides_the_input()
    {
        await app.StartAsync("ApprovalOrchestration", "appr-history", """{"customer":"c-4"}""");
        await app.WaitForStatusAsync("appr-history", "Running");
        using (await app.SendAsync(HttpMethod.Post, "/api/instances/appr-history/raiseEvent/Approve", """{"by":"kim"}"""))
        {
        }

        await app.WaitForStatusAsync("appr-history", "Completed");

        var (_, status) = await app.GetStatusAsync("appr-history", "?showHistory=true&showInput=false");

        Assert.False(status.TryGetProperty("input", out _));
        var events = status.GetProperty("historyEvents").EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("eventType").GetString()).ToList();

        // The engine brackets each step with OrchestratorStarted/OrchestratorCompleted; the flow's own events sit between.
        Assert.Equal("OrchestratorStarted", types[0]);
        Assert.Equal("OrchestratorCompleted", types[^1]);
        var flowEvents = types.Where(t => t is not ("OrchestratorStarted" or "OrchestratorCompleted")).ToList();
        Assert.Equal("ExecutionStarted", flowEvents[0]);
        Assert.Contains("EventRaised", flowEvents);
        Assert.Contains("TaskScheduled", flowEvents);
        Assert.Contains("TaskCompleted", flowEvents);
        Assert.Equal("ExecutionCompleted", flowEvents[^1]);
        var scheduled = events.First(e => e.GetProperty("eventType").GetString() == "TaskScheduled");
        Assert.Equal(nameof(RecordApprovalActivity), scheduled.GetProperty("name").GetString());

        // The backend keeps an activity's input as its list of parameters: one here.
        Assert.Equal("kim", Assert.Single(scheduled.GetProperty("input").EnumerateArray()).GetProperty("by").GetString());
        var taskId = scheduled.GetProperty("taskId").GetInt32();
        var completed = events.Single(e => e.GetProperty("eventType").GetString() == "TaskCompleted");
        Assert.Equal(taskId, completed.GetProperty("taskScheduledId").GetInt32());
        Assert.Equal("receipt:c-4:kim", completed.GetProperty("result").GetString());
        Assert.All(events, e => Assert.True(e.TryGetProperty("timestamp", out _)));
    }

    [Fact]
    public async Task A_failed_instance_answers_200_with_failure_details()
    {
        await app.StartAsync("FailingOrchestration", "fail-1");

        var failed = await app.WaitForStatusAsync("fail-1", "Failed");

        var (code, _) = await app.GetStatusAsync("fail-1");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains(FailingOrchestration.Message, failed.GetProperty("failureDetails").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_filters_by_status_prefix_and_time_and_pages_with_the_continuation_header()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ids = Enumerable.Range(0, 5).Select(i => $"list-{i}").ToList();
        foreach (var id in ids)
        {
            await app.StartAsync("ApprovalOrchestration", id, """{"customer":"c-list"}""");
        }

        await app.StartAsync("FailingOrchestration", "other-failed");
        foreach (var id in ids)
        {
            await app.WaitForStatusAsync(id, "Running");
        }

        await app.WaitForStatusAsync("other-failed", "Failed");

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/instances?runtimeStatus=Running,Pending&top=2");
            request.Headers.Add("X-Api-Key", HostedApp.OpsKey);
            if (token is not null)
            {
                request.Headers.Add("x-ms-continuation-token", token);
            }

            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            Assert.True(page.Count <= 2, $"page of {page.Count}");
            Assert.All(page, i => Assert.Equal("Running", i.GetProperty("runtimeStatus").GetString()));
            seen.AddRange(page.Select(i => i.GetProperty("instanceId").GetString()!));
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
            pages++;
            Assert.True(pages <= 10, "paging does not end");
        }
        while (token is not null);

        Assert.Equal(ids, seen.Order());
        Assert.True(pages >= 3, $"{pages} pages for 5 instances of 2 per page");

        Assert.Equal(["other-failed"], await ListIdsAsync("?runtimeStatus=Failed"));
        Assert.Equal(ids, (await ListIdsAsync("?instanceIdPrefix=list-")).Order());
        Assert.Equal(6, (await ListIdsAsync($"?createdTimeFrom={Uri.EscapeDataString(before.ToString("O"))}")).Count);
        Assert.Empty(await ListIdsAsync($"?createdTimeFrom={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}"));
        Assert.Empty(await ListIdsAsync($"?createdTimeTo={Uri.EscapeDataString(before.ToString("O"))}"));
    }

    [Fact]
    public async Task List_is_newest_first_across_pages_without_duplicates_or_gaps()
    {
        // Ids in an order of their own (not the order of creation), so the list's order can only come from the times.
        var ids = new[] { "order-m", "order-c", "order-x", "order-a", "order-q", "order-b", "order-z" };
        foreach (var id in ids)
        {
            await app.StartAsync("ApprovalOrchestration", id, """{"customer":"c-order"}""");
        }

        var seen = new List<(string Id, DateTimeOffset Created)>();
        var pages = 0;
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/instances?instanceIdPrefix=order-&top=2");
            request.Headers.Add("X-Api-Key", HostedApp.OpsKey);
            if (token is not null)
            {
                request.Headers.Add("x-ms-continuation-token", token);
            }

            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            Assert.InRange(page.Count, 1, 2);
            seen.AddRange(page.Select(i => (i.GetProperty("instanceId").GetString()!, i.GetProperty("createdTime").GetDateTimeOffset())));
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
            Assert.True(++pages <= 10, "paging does not end");
        }
        while (token is not null);

        Assert.Equal(4, pages);
        Assert.Equal(ids.Reverse(), seen.Select(s => s.Id));
        Assert.Equal(seen.OrderByDescending(s => s.Created).ThenBy(s => s.Id, StringComparer.Ordinal), seen);
        Assert.Equal(ids.Length, seen.Select(s => s.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("?runtimeStatus=Sleeping")]
    [InlineData("?runtimeStatus=Running,0")]
    [InlineData("?createdTimeFrom=yesterday")]
    [InlineData("?createdTimeTo=2025-02-30T00:00:00Z")]
    [InlineData("?top=0")]
    [InlineData("?top=many")]
    public async Task List_with_a_bad_filter_is_a_400_problem(string query)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances" + query);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Terminate_ends_the_instance_and_a_finished_instance_answers_410()
    {
        await app.StartAsync("ApprovalOrchestration", "appr-term", """{"customer":"c-5"}""");
        await app.WaitForStatusAsync("appr-term", "Running");

        using (var terminate = await app.SendAsync(HttpMethod.Post, "/api/instances/appr-term/terminate?reason=caller-hung-up"))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        var terminated = await app.WaitForStatusAsync("appr-term", "Terminated");
        var (code, _) = await app.GetStatusAsync("appr-term");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains("caller-hung-up", terminated.GetProperty("output").ToString(), StringComparison.Ordinal);

        foreach (var path in new[] { "raiseEvent/Approve", "terminate?reason=duplicate", "suspend", "resume" })
        {
            using var response = await app.SendAsync(HttpMethod.Post, $"/api/instances/appr-term/{path}", path.StartsWith("raise", StringComparison.Ordinal) ? """{"by":"late"}""" : null);
            await AssertProblemAsync(response, HttpStatusCode.Gone);
        }
    }

    [Fact]
    public async Task Suspend_holds_events_until_resume()
    {
        await app.StartAsync("ApprovalOrchestration", "appr-suspend", """{"customer":"c-6"}""");
        await app.WaitForStatusAsync("appr-suspend", "Running");

        using (var suspend = await app.SendAsync(HttpMethod.Post, "/api/instances/appr-suspend/suspend?reason=maintenance"))
        {
            Assert.Equal(HttpStatusCode.Accepted, suspend.StatusCode);
        }

        await app.WaitForStatusAsync("appr-suspend", "Suspended");
        var (suspendedCode, _) = await app.GetStatusAsync("appr-suspend");
        Assert.Equal(HttpStatusCode.Accepted, suspendedCode);
        using (var raised = await app.SendAsync(HttpMethod.Post, "/api/instances/appr-suspend/raiseEvent/Approve", """{"by":"lee"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        }

        var (_, stillSuspended) = await app.GetStatusAsync("appr-suspend");
        Assert.Equal("Suspended", stillSuspended.GetProperty("runtimeStatus").GetString());

        using (var resume = await app.SendAsync(HttpMethod.Post, "/api/instances/appr-suspend/resume?reason=issue-resolved"))
        {
            Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        }

        var done = await app.WaitForStatusAsync("appr-suspend", "Completed");
        Assert.Equal("lee", done.GetProperty("output").GetProperty("approvedBy").GetString());
    }

    [Fact]
    public async Task Purge_refuses_a_running_instance_with_409_and_deletes_a_finished_one()
    {
        await app.StartAsync("ApprovalOrchestration", "appr-purge", """{"customer":"c-7"}""");
        await app.WaitForStatusAsync("appr-purge", "Running");

        using (var running = await app.SendAsync(HttpMethod.Delete, "/api/instances/appr-purge"))
        {
            await AssertProblemAsync(running, HttpStatusCode.Conflict);
        }

        using (await app.SendAsync(HttpMethod.Post, "/api/instances/appr-purge/terminate?reason=test-call"))
        {
        }

        await app.WaitForStatusAsync("appr-purge", "Terminated");
        using (var purge = await app.SendAsync(HttpMethod.Delete, "/api/instances/appr-purge"))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            Assert.Equal("""{"instancesDeleted":1}""", await purge.Content.ReadAsStringAsync());
        }

        var (code, _) = await app.GetStatusAsync("appr-purge");
        Assert.Equal(HttpStatusCode.NotFound, code);
        using var again = await app.SendAsync(HttpMethod.Delete, "/api/instances/appr-purge");
        await AssertProblemAsync(again, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/api/instances/nobody")]
    [InlineData("POST", "/api/instances/nobody/raiseEvent/Approve")]
    [InlineData("POST", "/api/instances/nobody/terminate?reason=stuck")]
    [InlineData("POST", "/api/instances/nobody/suspend?reason=stuck")]
    [InlineData("POST", "/api/instances/nobody/resume?reason=stuck")]
    [InlineData("DELETE", "/api/instances/nobody")]
    [InlineData("GET", "/api/no-such-route")]
    public async Task An_unknown_instance_or_route_is_a_404_problem(string method, string path)
    {
        using var response = await app.SendAsync(new HttpMethod(method), path);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/api/instances")]
    [InlineData("GET", "/api/instances/nobody")]
    [InlineData("POST", "/api/orchestrators/ApprovalOrchestration/auth-1")]
    [InlineData("POST", "/api/instances/nobody/raiseEvent/Approve")]
    [InlineData("POST", "/api/instances/nobody/terminate")]
    [InlineData("POST", "/api/instances/nobody/suspend")]
    [InlineData("POST", "/api/instances/nobody/resume")]
    [InlineData("DELETE", "/api/instances/nobody")]
    public async Task Management_needs_the_ops_role_and_its_actions_a_person(string method, string path)
    {
        using (var anonymous = await app.SendAsync(new HttpMethod(method), path, key: null))
        {
            await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
            Assert.Equal("ApiKey header=\"X-Api-Key\"", anonymous.Headers.WwwAuthenticate.ToString());
        }

        using (var unknown = await app.SendAsync(new HttpMethod(method), path, key: "not-a-configured-key-000000"))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized);
        }

        using (var supervisor = await app.SendAsync(new HttpMethod(method), path, key: HostedApp.SupervisorKey))
        {
            await AssertProblemAsync(supervisor, HttpStatusCode.Forbidden);
        }

        using (var supervisorPerson = await app.SendAsync(new HttpMethod(method), path, key: TestTokens.Person("sam", "Supervisor")))
        {
            await AssertProblemAsync(supervisorPerson, HttpStatusCode.Forbidden);
        }

        // An ops key reads; it never acts (a key names no one).
        if (method != "GET")
        {
            using var opsKey = await app.SendAsync(new HttpMethod(method), path, key: HostedApp.OpsKey);
            await AssertProblemAsync(opsKey, HttpStatusCode.Forbidden);
            Assert.Contains("sign in as yourself", await opsKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (code, _) = await app.GetStatusAsync("auth-1");
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Theory]
    [InlineData("/api/orchestrators/ApprovalOrchestration/bad-json")]
    [InlineData("/api/instances/bad-json-target/raiseEvent/Approve")]
    public async Task Malformed_json_is_a_400_problem(string path)
    {
        await app.StartAsync("ApprovalOrchestration", "bad-json-target", """{"customer":"c-8"}""");

        using var response = await app.SendAsync(HttpMethod.Post, path, """{"customer": "c-8",""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/orchestrators/NoSuchOrchestration/x-1")]
    [InlineData("/api/orchestrators/ApprovalOrchestration/not%20valid%21")]
    public async Task An_unknown_orchestrator_or_invalid_id_is_a_400_problem(string path)
    {
        using var response = await app.SendAsync(HttpMethod.Post, path, """{"customer":"c-9"}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413_problem()
    {
        var body = JsonSerializer.Serialize(new { customer = new string('x', 65 * 1024) });

        using var response = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/ApprovalOrchestration/too-big", body);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var (code, _) = await app.GetStatusAsync("too-big");
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task An_event_over_64_KiB_is_a_413_problem_and_changes_nothing_and_a_50_KiB_one_is_delivered()
    {
        using (var started = await app.SendAsync(HttpMethod.Post, "/api/orchestrators/ApprovalOrchestration/big-event", """{"customer":"c-7"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        await app.WaitForStatusAsync("big-event", "Running");
        using (var tooBig = await app.SendAsync(HttpMethod.Post, "/api/instances/big-event/raiseEvent/Approve", JsonSerializer.Serialize(new { by = new string('y', 65 * 1024) })))
        {
            await AssertProblemAsync(tooBig, HttpStatusCode.RequestEntityTooLarge);
        }

        // Larger than a queue message: the backend carries it in a blob (its large-message store) and the flow gets it whole.
        var approver = new string('x', 50 * 1024);
        using (var raised = await app.SendAsync(HttpMethod.Post, "/api/instances/big-event/raiseEvent/Approve", JsonSerializer.Serialize(new { by = approver })))
        {
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        }

        var done = await app.WaitForStatusAsync("big-event", "Completed");
        Assert.Equal(approver, done.GetProperty("output").GetProperty("approvedBy").GetString());
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
    }

    private async Task<List<string>> ListIdsAsync(string query)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/api/instances" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!)];
    }
}
