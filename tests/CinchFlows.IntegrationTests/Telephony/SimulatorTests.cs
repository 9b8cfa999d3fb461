using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Telephony;
using CinchFlows.Web.Webhooks;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CinchFlows.IntegrationTests.Telephony;

/// <summary>
/// The telephony simulator (tools/CinchFlows.TelephonySimulator) against the spec and against the service's own Standard
/// Webhooks code: its receiver checks signatures, acts once per key and fails on demand; its sender signs as the spec says;
/// and the service's command sender reaches it over real HTTP.
/// </summary>
public sealed class SimulatorTests
{
    // The test vector published with the Standard Webhooks specification (docs/api.md §1).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private const string CommandSecret = "whsec_ZGV2LWNvbW1hbmQtc2VjcmV0LWNpbmNoZmxvd3MtMDE=";
    private const string OtherSecret = "whsec_ZGV2LXdlYmhvb2stc2VjcmV0LWNpbmNoZmxvd3MtMDE=";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public void The_simulator_signs_the_spec_vector_as_the_spec_says()
    {
        Assert.Equal(SpecSignature, StandardWebhooks.Sign(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
        Assert.True(StandardWebhooks.Verify([SpecSecret], SpecId, "1614265330", Encoding.UTF8.GetBytes(SpecBody), SpecSignature));
        Assert.False(StandardWebhooks.Verify([SpecSecret], SpecId, "1614265331", Encoding.UTF8.GetBytes(SpecBody), SpecSignature));
    }

    [Fact]
    public void WebhookSender_headers_for_the_spec_vector_carry_the_spec_signature()
    {
        using var sender = new WebhookSender(new Uri("http://127.0.0.1:1"), SpecSecret);

        var headers = sender.SignatureHeaders(SpecId, DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp), Encoding.UTF8.GetBytes(SpecBody));

        Assert.Equal(SpecId, headers["webhook-id"]);
        Assert.Equal("1614265330", headers["webhook-timestamp"]);
        Assert.Equal(SpecSignature, headers["webhook-signature"]);
    }

    [Fact]
    public async Task WebhookSender_posts_a_signed_structured_CloudEvent_that_the_service_code_verifies()
    {
        var captured = new CapturingHandler();
        using var http = new HttpClient(captured);
        using var sender = new WebhookSender(new Uri("http://service.test:7071"), OtherSecret, http);

        using var response = await sender.MedicalEmergencyFlaggedAsync("call-1", "agent-7", "customer-3", serviceRequestId: "SR-42");

        var request = Assert.Single(captured.Requests);
        Assert.Equal(new Uri("http://service.test:7071/api/telephony/events"), request.Uri);
        Assert.Equal("application/cloudevents+json", request.ContentType);
        Assert.True(StandardWebhookSignature.Verify(
            [StandardWebhookSignature.DecodeSecret(OtherSecret)],
            request.Headers["webhook-id"],
            request.Headers["webhook-timestamp"],
            request.Body,
            request.Headers["webhook-signature"]));

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("com.cinch.call.medical-emergency.flagged", root.GetProperty("type").GetString());
        Assert.Equal(request.Headers["webhook-id"], root.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("source").GetString()));
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("time").GetString(), CultureInfo.InvariantCulture, out _));
        var data = root.GetProperty("data");
        Assert.Equal("call-1", data.GetProperty("callId").GetString());
        Assert.Equal("agent-7", data.GetProperty("agentId").GetString());
        Assert.Equal("customer-3", data.GetProperty("customerId").GetString());
        Assert.Equal("SR-42", data.GetProperty("serviceRequestId").GetString());
    }

    [Fact]
    public async Task WebhookSender_helpers_send_the_API_fields_of_each_event_type()
    {
        var captured = new CapturingHandler();
        using var http = new HttpClient(captured);
        using var sender = new WebhookSender(new Uri("http://service.test/base/"), OtherSecret, http);

        (await sender.MedicalEmergencyFlaggedAsync("c1", "a1", "u1")).Dispose();
        (await sender.TransferConnectedAsync("c1", "69187")).Dispose();
        (await sender.TransferFailedAsync("c1", "69187", "busy")).Dispose();
        (await sender.SupervisorRequestedAsync("c2", "a1", "u1", supervisorAvailable: false)).Dispose();
        (await sender.EscalationRaisedAsync("job-1", "safety-risk", "unsafe", "agent-1", "customer", "high", new EscalationProvider("p-1", "America/Chicago", "+15550100"))).Dispose();
        (await sender.SeverityChangedAsync("job-1", "medical-emergency")).Dispose();
        (await sender.CallEndedAsync("c1")).Dispose();

        var events = captured.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(captured.Requests, r => Assert.Equal(new Uri("http://service.test/base/api/telephony/events"), r.Uri));
        Assert.Equal(
            [
                "com.cinch.call.medical-emergency.flagged", "com.cinch.call.transfer.connected", "com.cinch.call.transfer.failed",
                "com.cinch.call.supervisor.requested", "com.cinch.servicejob.escalation.raised", "com.cinch.servicejob.severity.changed",
                "com.cinch.call.ended",
            ],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("""{"callId":"c1","agentId":"a1","customerId":"u1"}""", events[0].GetProperty("data").GetRawText());
        Assert.Equal("""{"callId":"c1","targetExtension":"69187"}""", events[1].GetProperty("data").GetRawText());
        Assert.Equal("""{"callId":"c1","targetExtension":"69187","reason":"busy"}""", events[2].GetProperty("data").GetRawText());
        Assert.Equal("""{"callId":"c2","agentId":"a1","customerId":"u1","supervisorAvailable":false}""", events[3].GetProperty("data").GetRawText());
        Assert.Equal(
            """{"serviceJobId":"job-1","reason":"safety-risk","subReason":"unsafe","raisedBy":"agent-1","contactRole":"customer","severity":"high","provider":{"providerId":"p-1","timeZone":"America/Chicago","phone":"\u002B15550100"}}""",
            events[4].GetProperty("data").GetRawText());
        Assert.Equal("""{"serviceJobId":"job-1","severity":"medical-emergency"}""", events[5].GetProperty("data").GetRawText());
        Assert.Equal("""{"callId":"c1"}""", events[6].GetProperty("data").GetRawText());
        Assert.Equal(7, captured.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    [Fact]
    public async Task WebhookSender_replays_with_the_same_id_and_sends_raw_forgeries_as_given()
    {
        var captured = new CapturingHandler();
        using var http = new HttpClient(captured);
        using var sender = new WebhookSender(new Uri("http://service.test"), OtherSecret, http);
        var at = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

        (await sender.SendAsync(PlatformEventTypes.CallEnded, new { callId = "c1" }, "msg_fixed", at)).Dispose();
        (await sender.SendAsync(PlatformEventTypes.CallEnded, new { callId = "c1" }, "msg_fixed", at)).Dispose();
        var forged = new Dictionary<string, string>(sender.SignatureHeaders("msg_forged", at, "{}"u8)) { ["webhook-signature"] = "v1,AAAA" };
        (await sender.SendRawAsync("{\"x\":1}"u8.ToArray(), forged, "text/plain")).Dispose();

        Assert.Equal(captured.Requests[0].Body, captured.Requests[1].Body);
        Assert.Equal(captured.Requests[0].Headers["webhook-signature"], captured.Requests[1].Headers["webhook-signature"]);
        Assert.Equal(at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), captured.Requests[0].Headers["webhook-timestamp"]);
        var raw = captured.Requests[2];
        Assert.Equal("v1,AAAA", raw.Headers["webhook-signature"]);
        Assert.Equal("msg_forged", raw.Headers["webhook-id"]);
        Assert.Equal("text/plain", raw.ContentType);
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(raw.Body));
    }

    [Fact]
    public async Task Receiver_acts_on_a_well_signed_command_and_records_its_fields()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        var body = """{"type":"transfer.warm","callId":"call-1","targetExtension":"69187","idempotencyKey":"k-1","note":"hello"}""";

        using var response = await PostAsync(receiver, body, CommandSecret, "cmd_k-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", receiver.CommandsUri.Host);
        Assert.NotEqual(0, receiver.Port);
        var command = Assert.Single(receiver.Acted);
        Assert.Equal(("transfer.warm", "call-1", "69187", "k-1", "hello"), (command.Type, command.CallId, command.TargetExtension, command.IdempotencyKey, command.Note));
        Assert.Equal(body, command.RawJson);
        Assert.Equal("cmd_k-1", command.WebhookId);
        Assert.Equal(DeliveryOutcome.Acted, command.Outcome);
        Assert.Equal(1, command.Sequence);
    }

    [Fact]
    public async Task Receiver_answers_401_to_bad_signatures_and_acts_on_none_of_them()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        var body = """{"type":"transfer.warm","callId":"call-1","targetExtension":"69187","idempotencyKey":"k-1"}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var http = new HttpClient();

        using var wrongSecret = await PostAsync(receiver, body, OtherSecret, "cmd_k-1");
        using var stale = await PostAsync(receiver, body, CommandSecret, "cmd_k-1", now - 600);
        using var future = await PostAsync(receiver, body, CommandSecret, "cmd_k-1", now + 600);
        using var tampered = await SendAsync(http, receiver.CommandsUri, body.Replace("69187", "66666", StringComparison.Ordinal), Headers(body, CommandSecret, "cmd_k-1", now));
        var renamed = Headers(body, CommandSecret, "cmd_k-1", now);
        renamed["webhook-id"] = "cmd_k-2";
        using var otherId = await SendAsync(http, receiver.CommandsUri, body, renamed);
        using var unsigned = await SendAsync(http, receiver.CommandsUri, body, []);

        Assert.All(new[] { wrongSecret, stale, future, tampered, otherId, unsigned }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Empty(receiver.Acted);
        Assert.Empty(receiver.Received);
        Assert.Equal(6, receiver.Rejected.Count);
        Assert.All(receiver.Rejected, r => Assert.Equal(401, r.StatusCode));

        // A good delivery of the same key afterwards is still the first one acted on.
        using var good = await PostAsync(receiver, body, CommandSecret, "cmd_k-1");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Single(receiver.Acted);
    }

    [Fact]
    public async Task Receiver_accepts_any_of_its_secrets_so_they_can_rotate()
    {
        var options = new CommandReceiverOptions();
        options.Secrets.Add(OtherSecret);
        options.Secrets.Add(CommandSecret);
        await using var receiver = await CommandReceiver.StartAsync(options);

        using var response = await PostAsync(receiver, """{"type":"agent.prompt","callId":"c","agentId":"a","script":"medical-emergency","idempotencyKey":"p"}""", CommandSecret, "cmd_p");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("medical-emergency", Assert.Single(receiver.Acted).Script);
    }

    [Fact]
    public async Task Receiver_answers_400_to_a_signed_body_that_is_not_a_command()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);

        using var notJson = await PostAsync(receiver, "not json", CommandSecret, "cmd_x");
        using var noKey = await PostAsync(receiver, """{"type":"transfer.warm","callId":"c"}""", CommandSecret, "cmd_y");

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Receiver_acts_once_per_idempotency_key_and_answers_repeats_200()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        var handled = new List<ReceivedCommand>();
        using var subscription = receiver.OnActed((command, _) =>
        {
            lock (handled)
            {
                handled.Add(command);
            }

            return Task.CompletedTask;
        });
        var first = """{"type":"transfer.warm","callId":"call-1","targetExtension":"69187","idempotencyKey":"k-1"}""";
        var second = """{"type":"transfer.warm","callId":"call-1","targetExtension":"69187","idempotencyKey":"k-2"}""";

        using var a = await PostAsync(receiver, first, CommandSecret, "cmd_k-1");
        using var b = await PostAsync(receiver, first, CommandSecret, "cmd_k-1");
        using var c = await PostAsync(receiver, first, CommandSecret, "another-id-same-key");
        using var d = await PostAsync(receiver, second, CommandSecret, "cmd_k-2");

        Assert.All(new[] { a, b, c, d }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["k-1", "k-2"], receiver.Acted.Select(x => x.IdempotencyKey));
        Assert.Equal(
            [DeliveryOutcome.Acted, DeliveryOutcome.Duplicate, DeliveryOutcome.Duplicate, DeliveryOutcome.Acted],
            receiver.Received.Select(x => x.Outcome));
        Assert.Equal(2, receiver.DuplicateCount);
        await Eventually.WaitUntilAsync(
            () =>
            {
                lock (handled)
                {
                    return Task.FromResult(handled.Count == 2);
                }
            },
            Deadline,
            "both acted commands to reach the handler");
        lock (handled)
        {
            Assert.Equal(["k-1", "k-2"], handled.Select(x => x.IdempotencyKey));
        }
    }

    [Fact]
    public async Task Receiver_FailNext_answers_the_next_deliveries_with_the_status_and_acts_on_none_of_them()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        receiver.FailNext(2, HttpStatusCode.BadGateway);
        var body = """{"type":"transfer.warm","callId":"call-1","targetExtension":"69187","idempotencyKey":"k-1"}""";

        using var first = await PostAsync(receiver, body, CommandSecret, "cmd_k-1");
        using var second = await PostAsync(receiver, body, CommandSecret, "cmd_k-1");
        Assert.Empty(receiver.Acted);
        using var third = await PostAsync(receiver, body, CommandSecret, "cmd_k-1");

        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.OK], new[] { first, second, third }.Select(r => r.StatusCode));
        Assert.Equal([DeliveryOutcome.Failed, DeliveryOutcome.Failed, DeliveryOutcome.Acted], receiver.Received.Select(x => x.Outcome));
        Assert.Single(receiver.Acted);
        Assert.Equal(0, receiver.DuplicateCount);
    }

    [Fact]
    public async Task Receiver_WaitForAsync_returns_a_later_delivery_and_times_out_with_what_arrived()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        var waiting = receiver.WaitForAsync(c => c.Type == "transfer.warm", Deadline);
        Assert.False(waiting.IsCompleted);

        using var prompt = await PostAsync(receiver, """{"type":"agent.prompt","callId":"c","idempotencyKey":"p"}""", CommandSecret, "cmd_p");
        Assert.False(waiting.IsCompleted, "an agent prompt does not match");
        using var transfer = await PostAsync(receiver, """{"type":"transfer.warm","callId":"c","targetExtension":"69187","idempotencyKey":"t"}""", CommandSecret, "cmd_t");

        Assert.Equal("t", (await waiting).IdempotencyKey);
        Assert.Equal("p", (await receiver.WaitForAsync(c => c.Type == "agent.prompt", Deadline)).IdempotencyKey);
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => receiver.WaitForAsync(c => c.Type == "provider.call", TimeSpan.FromMilliseconds(50)));
        Assert.Contains("agent.prompt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receiver_keeps_going_when_a_handler_throws()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        using var subscription = receiver.OnActed((_, _) => throw new InvalidOperationException("handler bug"));

        using var a = await PostAsync(receiver, """{"type":"agent.prompt","callId":"c","idempotencyKey":"p1"}""", CommandSecret, "cmd_p1");
        using var b = await PostAsync(receiver, """{"type":"agent.prompt","callId":"c","idempotencyKey":"p2"}""", CommandSecret, "cmd_p2");

        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.HandlerErrors.Count == 2), Deadline, "both handler failures to be recorded");
        Assert.Equal(2, receiver.Acted.Count);
    }

    [Fact]
    public async Task The_service_command_sender_reaches_the_simulator_over_HTTP_and_retries_act_once()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        using var services = Services(receiver.CommandsUri, CommandSecret);
        var commands = services.GetRequiredService<ITelephonyCommands>();
        var transfer = TelephonyCommand.WarmTransfer("call-9", "69187", "call-9:transfer:1", "Scenario 1 handoff");

        await commands.SendAsync(TelephonyCommand.AgentPrompt("call-9", "agent-7", "medical-emergency", "call-9:prompt"), CancellationToken.None);
        receiver.FailNext(1, HttpStatusCode.ServiceUnavailable);
        var refused = await Assert.ThrowsAsync<TelephonyCommandException>(() => commands.SendAsync(transfer, CancellationToken.None));
        await commands.SendAsync(transfer, CancellationToken.None);
        await commands.SendAsync(transfer, CancellationToken.None);
        await commands.SendAsync(TelephonyCommand.ProviderCall("job-1", "prov-1", "+15550100", "job-1:call:1"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(["agent.prompt", "transfer.warm", "provider.call"], receiver.Acted.Select(c => c.Type));
        var acted = receiver.Acted[1];
        Assert.Equal(("call-9", "69187", "call-9:transfer:1", "Scenario 1 handoff"), (acted.CallId, acted.TargetExtension, acted.IdempotencyKey, acted.Note));
        Assert.Equal(("job-1", "prov-1", "+15550100"), (receiver.Acted[2].ServiceJobId, receiver.Acted[2].ProviderId, receiver.Acted[2].Phone));
        Assert.Equal(1, receiver.DuplicateCount);
        var transfers = receiver.Received.Where(c => c.IdempotencyKey == "call-9:transfer:1").ToList();
        Assert.Equal([DeliveryOutcome.Failed, DeliveryOutcome.Acted, DeliveryOutcome.Duplicate], transfers.Select(c => c.Outcome));
        Assert.Single(transfers.Select(c => c.WebhookId).Distinct());
        Assert.Empty(receiver.Rejected);
    }

    [Fact]
    public async Task The_service_command_sender_gets_a_TelephonyCommandException_when_the_secrets_differ()
    {
        await using var receiver = await CommandReceiver.StartAsync(CommandSecret);
        using var services = Services(receiver.CommandsUri, OtherSecret);

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(() => services.GetRequiredService<ITelephonyCommands>()
            .SendAsync(TelephonyCommand.AgentPrompt("c", "a", "medical-emergency", "p"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("bad signature", ex.ResponseExcerpt, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task The_service_command_sender_gets_a_TelephonyCommandException_when_nothing_listens()
    {
        var receiver = await CommandReceiver.StartAsync(CommandSecret);
        var commandsUri = receiver.CommandsUri;
        await receiver.DisposeAsync();
        using var services = Services(commandsUri, CommandSecret);

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(() => services.GetRequiredService<ITelephonyCommands>()
            .SendAsync(TelephonyCommand.AgentPrompt("c", "a", "medical-emergency", "p"), CancellationToken.None));

        Assert.Null(ex.StatusCode);
    }

    private static ServiceProvider Services(Uri commandsUrl, string secret)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telephony:CommandsUrl"] = commandsUrl.AbsoluteUri,
            ["Telephony:CommandSecret"] = secret,
        }).Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddTelephonyCommands();
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string> Headers(string body, string secret, string webhookId, long timestamp) => new()
    {
        ["webhook-id"] = webhookId,
        ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),

        // Signed with the service's own code: the simulator's receiver must accept what the service signs.
        ["webhook-signature"] = StandardWebhookSignature.Sign(StandardWebhookSignature.DecodeSecret(secret), webhookId, timestamp, Encoding.UTF8.GetBytes(body)),
    };

    private static async Task<HttpResponseMessage> PostAsync(CommandReceiver receiver, string body, string secret, string webhookId, long? timestamp = null)
    {
        using var http = new HttpClient();
        return await SendAsync(http, receiver.CommandsUri, body, Headers(body, secret, webhookId, timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, string body, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Records what a <see cref="WebhookSender"/> sends and answers 202.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<(Uri Uri, string? ContentType, Dictionary<string, string> Headers, byte[] Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add((
                request.RequestUri!,
                request.Content.Headers.ContentType?.MediaType,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                body));
            return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("{}", new MediaTypeHeaderValue("application/json")) };
        }
    }
}
