using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.CustomHandler;

/// <summary>
/// The custom-handler contract, against the real executable in custom-handler mode on Azurite: the documented payloads
/// of the Functions host (queue trigger with metadata, forwarded HTTP) go in, the documented answers come out, and a
/// flow started by a queue-trigger invocation runs to its end on the engine inside the process.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly QueueClientOptions RawQueue = new() { MessageEncoding = QueueMessageEncoding.None };

    private readonly string hub = azurite.NewTaskHub();
    private CustomHandlerProcess handler = null!;
    private QueueClient callbackQueue = null!;

    private string CallbackQueue => "cb-" + hub;

    public async Task InitializeAsync()
    {
        callbackQueue = new QueueClient(azurite.ConnectionString, CallbackQueue, RawQueue);
        await callbackQueue.CreateIfNotExistsAsync();
        handler = await CustomHandlerProcess.StartAsync(azurite.ConnectionString, hub, CallbackQueue);
    }

    public async Task DisposeAsync()
    {
        await handler.DisposeAsync();
        await callbackQueue.DeleteIfExistsAsync();
        await new QueueClient(azurite.ConnectionString, CallbackQueue + "-poison", RawQueue).DeleteIfExistsAsync();
    }

    [Fact]
    public async Task The_readiness_probe_answers()
    {
        using var response = await handler.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_callback_flow_runs_to_its_end_from_a_queue_trigger_invocation_and_forwarded_HTTP()
    {
        // The host's queue trigger takes the request off the callback-requests queue (Base64, as host.json encodes it)
        // and hands it over with its metadata; no listener in the process reads that queue.
        const string CallbackId = "callback-request-ch-1";
        await callbackQueue.SendMessageAsync(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("""{"requestId":"ch-1","customerId":"cust-1","channel":"web"}""")));
        var trigger = new FunctionsHostPump(handler.Client, callbackQueue, "CallbackRequests");
        await trigger.DeliverUntilAsync(() => HasOpenCallbackAsync(CallbackId), Patience, "the callback task is open");
        Assert.Equal((1, 0), (trigger.Delivered, trigger.Failed));

        using (var claim = await SendAsync(HttpMethod.Post, $"/api/callbacks/{CallbackId}/claim", CustomHandlerProcess.SupervisorKey, new { supervisorId = "sup-1" }))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        // The flow must have seen the claim before it takes a completion (409 otherwise).
        await Eventually.WaitUntilAsync(async () => (await StatusAsync(CallbackId)).Contains("\"phase\":\"WaitingForCompletion\"", StringComparison.Ordinal), Patience, "the flow to see the claim");
        using (var complete = await SendAsync(HttpMethod.Post, $"/api/callbacks/{CallbackId}/complete", CustomHandlerProcess.SupervisorKey, new { supervisorId = "sup-1", outcome = "resolved" }))
        {
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        }

        // Nothing else drives it: the engine inside the process runs the flow to its end.
        await Eventually.WaitUntilAsync(async () => (await StatusAsync(CallbackId)).Contains("\"runtimeStatus\":\"Completed\"", StringComparison.Ordinal), Patience, "the flow completes");
        Assert.Contains("\"outcome\":\"Completed\"", await StatusAsync(CallbackId), StringComparison.Ordinal);
        using var health = await handler.Client.GetAsync("/api/health");
        var report = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.True(report["steps"]!.GetValue<long>() > 0, $"the engine in the process took no step: {report}");
    }

    [Fact]
    public async Task A_request_the_host_quoted_twice_starts_its_flow()
    {
        // Some host versions hand a queue message's text over JSON-serialized once more.
        var request = """{"requestId":"ch-2","customerId":"cust-2","channel":"web"}""";

        using var started = await PostAsync("/CallbackRequests", QueueInvocation(JsonSerializer.Serialize(request), dequeueCount: 1));

        var answer = await ReadInvocationAnswerAsync(started, HttpStatusCode.OK);
        Assert.Contains("callback-request-ch-2", answer["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => HasOpenCallbackAsync("callback-request-ch-2"), Patience, "the callback task is open");
    }

    [Theory]
    [InlineData("/DurableWork")]
    [InlineData("/DurableSweeper")]
    public async Task The_engine_functions_are_gone_the_engine_runs_in_the_process(string path)
    {
        using var response = await PostAsync(path, QueueInvocation("{}", dequeueCount: 1));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
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
        using var response = await handler.Client.PostAsync("/CallbackRequests", content);

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
