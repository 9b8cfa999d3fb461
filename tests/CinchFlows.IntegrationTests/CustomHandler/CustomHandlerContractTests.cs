using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.CustomHandler;

/// <summary>
/// The custom-handler contract, against the real executable in custom-handler mode on Azurite: the documented payloads
/// of the Functions host (queue trigger with metadata, timer trigger, forwarded HTTP) go in, the documented answers come
/// out, and a flow runs to its end driven by nothing but those invocations.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly QueueClientOptions RawQueue = new() { MessageEncoding = QueueMessageEncoding.None };

    private readonly string hub = azurite.NewTaskHub();
    private CustomHandlerProcess handler = null!;
    private QueueClient workQueue = null!;
    private FunctionsHostPump work = null!;

    private string CallbackQueue => "cb-" + hub;

    public async Task InitializeAsync()
    {
        workQueue = new QueueClient(azurite.ConnectionString, hub + "-work", RawQueue);
        await workQueue.CreateIfNotExistsAsync();
        handler = await CustomHandlerProcess.StartAsync(azurite.ConnectionString, hub, CallbackQueue);
        work = new FunctionsHostPump(handler.Client, workQueue, "DurableWork");
    }

    public async Task DisposeAsync()
    {
        await handler.DisposeAsync();
        await workQueue.DeleteIfExistsAsync();
        await new QueueClient(azurite.ConnectionString, hub + "-poison", RawQueue).DeleteIfExistsAsync();
        await new QueueClient(azurite.ConnectionString, CallbackQueue + "-poison", RawQueue).DeleteIfExistsAsync();
    }

    [Fact]
    public async Task The_readiness_probe_answers()
    {
        using var response = await handler.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_callback_flow_runs_to_its_end_driven_only_by_invocations_and_forwarded_HTTP()
    {
        // The queue trigger hands the request over with its metadata; some host versions quote string data twice.
        var request = """{"requestId":"ch-1","customerId":"cust-1","channel":"web"}""";
        using var started = await PostAsync("/CallbackRequests", QueueInvocation(JsonSerializer.Serialize(request), dequeueCount: 1));
        var answer = await ReadInvocationAnswerAsync(started, HttpStatusCode.OK);
        Assert.Contains("callback-request-ch-1", answer["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // Nothing in the process polls: the start's message waits on the work queue until the "host" delivers it.
        const string CallbackId = "callback-request-ch-1";
        await work.DeliverUntilAsync(() => HasOpenCallbackAsync(CallbackId), Patience, "the callback task is open");
        Assert.True(work.Delivered >= 1, "the start was delivered by an invocation");

        using (var claim = await SendAsync(HttpMethod.Post, $"/api/callbacks/{CallbackId}/claim", CustomHandlerProcess.SupervisorKey, new { supervisorId = "sup-1" }))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        using (var complete = await SendAsync(HttpMethod.Post, $"/api/callbacks/{CallbackId}/complete", CustomHandlerProcess.SupervisorKey, new { supervisorId = "sup-1", outcome = "resolved" }))
        {
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        }

        await work.DeliverUntilAsync(async () => (await StatusAsync(CallbackId)).Contains("\"runtimeStatus\":\"Completed\"", StringComparison.Ordinal), Patience, "the flow completes");
        Assert.Equal(0, work.Failed);

        // The in-process poller never ran: the health counters show no empty poll.
        using var health = await handler.Client.GetAsync("/api/health");
        var report = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal(0, report["emptyPolls"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_sweeper_timer_trigger_answers_with_the_documented_shape()
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["timer"] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject { ["Last"] = "2026-11-23T04:00:00+00:00", ["Next"] = "2026-11-23T04:00:30+00:00", ["LastUpdated"] = "2026-11-23T04:00:00+00:00" },
                    ["IsPastDue"] = false,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = "DurableSweeper", ["UtcNow"] = "2026-11-23T04:00:30Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
        };

        using var response = await PostAsync("/DurableSweeper", payload);

        var answer = await ReadInvocationAnswerAsync(response, HttpStatusCode.OK);
        Assert.StartsWith("Swept", answer["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_work_message_is_poisoned_by_the_runtime_and_answered_as_done()
    {
        using var response = await PostAsync("/DurableWork", QueueInvocation("{not a work message", dequeueCount: 1));

        var answer = await ReadInvocationAnswerAsync(response, HttpStatusCode.OK);
        Assert.StartsWith("Poisoned", answer["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var poison = new QueueClient(azurite.ConnectionString, hub + "-poison", RawQueue);
        var peeked = (await poison.PeekMessagesAsync(10)).Value;
        Assert.Single(peeked);
    }

    [Fact]
    public async Task A_callback_request_that_can_never_succeed_goes_to_its_poison_queue_with_the_reason()
    {
        using var response = await PostAsync("/CallbackRequests", QueueInvocation("""{"requestId":"x"}""", dequeueCount: 1));

        var answer = await ReadInvocationAnswerAsync(response, HttpStatusCode.OK);
        Assert.Contains("customerId", answer["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var poison = new QueueClient(azurite.ConnectionString, CallbackQueue + "-poison", RawQueue);
        var envelope = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single((await poison.PeekMessagesAsync(10)).Value).Body.ToString()));
        Assert.Contains("customerId", envelope, StringComparison.Ordinal);
        Assert.Contains("\"messageId\":\"m-1\"", envelope, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"Data":{},"Metadata":{}}""")]
    [InlineData("[1,2]")]
    public async Task A_malformed_invocation_gets_a_problem_details_400(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await handler.Client.PostAsync("/DurableWork", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static JsonObject QueueInvocation(string text, long dequeueCount) => new()
    {
        ["Data"] = new JsonObject { ["message"] = JsonValue.Create(text) },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount,
            ["ExpirationTime"] = "9999-12-31T23:59:59+00:00",
            ["Id"] = "\"m-1\"",
            ["InsertionTime"] = "2026-11-23T04:00:00+00:00",
            ["NextVisibleTime"] = "2026-11-23T04:00:05+00:00",
            ["PopReceipt"] = "AgAAAAMAAAAAAAAA",
            ["sys"] = new JsonObject { ["MethodName"] = "CallbackRequests", ["UtcNow"] = "2026-11-23T04:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() },
        },
    };

    private static async Task<JsonObject> ReadInvocationAnswerAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        var answer = JsonNode.Parse(body)!.AsObject();
        Assert.True(answer.ContainsKey("Outputs") && answer.ContainsKey("Logs") && answer.ContainsKey("ReturnValue"), body);
        return answer;
    }

    private Task<HttpResponseMessage> PostAsync(string path, JsonObject payload) => handler.Client.PostAsJsonAsync(path, payload);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await handler.Client.SendAsync(request);
    }

    private async Task<bool> HasOpenCallbackAsync(string callbackId)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/callbacks?status=open", CustomHandlerProcess.SupervisorKey);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(callbackId, StringComparison.Ordinal);
    }

    private async Task<string> StatusAsync(string instanceId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/instances/{instanceId}", CustomHandlerProcess.OpsKey);
        return await response.Content.ReadAsStringAsync();
    }
}
