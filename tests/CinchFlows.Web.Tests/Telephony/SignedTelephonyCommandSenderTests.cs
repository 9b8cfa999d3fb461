using System.Globalization;
using System.Net;
using System.Text;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Telephony;
using CinchFlows.Web.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Web.Tests.Telephony;

public sealed class SignedTelephonyCommandSenderTests
{
    private const string Secret = "whsec_ZGV2LWNvbW1hbmQtc2VjcmV0LWNpbmNoZmxvd3MtMDE=";
    private const string Note = "Scenario 1: the customer needs service and has disclosed a Medical Emergency or High-Risk Situation.";
    private static readonly Uri CommandsUrl = new("http://platform.test/commands");
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 10, 42, 5, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingLogger<SignedTelephonyCommandSender> logger = new();

    [Fact]
    public async Task SendAsync_WarmTransfer_PostsTheApiBody()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);

        await Sender(handler).SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(CommandsUrl, request.Uri);
        Assert.Equal("application/json", request.ContentType?.MediaType);
        Assert.Equal(
            "{\"type\":\"transfer.warm\",\"callId\":\"call-1\",\"targetExtension\":\"69187\",\"idempotencyKey\":\"call-1:transfer:1\",\"note\":\"" + Note + "\"}",
            Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task SendAsync_AgentPrompt_PostsTheApiBody()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);

        await Sender(handler).SendAsync(TelephonyCommand.AgentPrompt("call-1", "agent-7", "medical-emergency", "call-1:prompt"), CancellationToken.None);

        Assert.Equal(
            "{\"type\":\"agent.prompt\",\"callId\":\"call-1\",\"agentId\":\"agent-7\",\"script\":\"medical-emergency\",\"idempotencyKey\":\"call-1:prompt\"}",
            Encoding.UTF8.GetString(Assert.Single(handler.Requests).Body));
    }

    [Fact]
    public async Task SendAsync_ProviderCall_PostsTheApiBody()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.Accepted);

        await Sender(handler).SendAsync(TelephonyCommand.ProviderCall("job-9", "prov-3", "+15551234567", "job-9:provider-call:1"), CancellationToken.None);

        // System.Text.Json's default encoder writes "+" as \u002B: the same JSON string value.
        Assert.Equal(
            "{\"type\":\"provider.call\",\"serviceJobId\":\"job-9\",\"providerId\":\"prov-3\",\"phone\":\"\\u002B15551234567\",\"idempotencyKey\":\"job-9:provider-call:1\"}",
            Encoding.UTF8.GetString(Assert.Single(handler.Requests).Body));
        using var json = System.Text.Json.JsonDocument.Parse(handler.Requests[0].Body);
        Assert.Equal("+15551234567", json.RootElement.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task SendAsync_SignsPerStandardWebhooks_WithTheCommandSecret()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);

        await Sender(handler).SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("cmd_call-1:transfer:1", request.Headers["webhook-id"]);
        Assert.Equal(Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"]);
        Assert.True(Verifies(request));
        Assert.False(
            StandardWebhookSignature.Verify(
                [StandardWebhookSignature.DecodeSecret("whsec_" + Convert.ToBase64String("some-other-secret"u8.ToArray()))],
                request.Headers["webhook-id"],
                request.Headers["webhook-timestamp"],
                request.Body,
                request.Headers["webhook-signature"]),
            "a signature must not verify with another secret");
    }

    [Fact]
    public async Task SendAsync_SameKeyTwice_SameWebhookIdFreshTimestamp()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);
        var sender = Sender(handler);
        var command = TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:2", Note);

        await sender.SendAsync(command, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(30));
        await sender.SendAsync(command, CancellationToken.None);

        var (first, second) = (handler.Requests[0], handler.Requests[1]);
        Assert.Equal(first.Headers["webhook-id"], second.Headers["webhook-id"]);
        Assert.Equal(
            long.Parse(first.Headers["webhook-timestamp"], CultureInfo.InvariantCulture) + 30,
            long.Parse(second.Headers["webhook-timestamp"], CultureInfo.InvariantCulture));
        Assert.True(Verifies(first));
        Assert.True(Verifies(second));
    }

    [Fact]
    public async Task SendAsync_DifferentKeys_DifferentWebhookIds()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);
        var sender = Sender(handler);

        await sender.SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), CancellationToken.None);
        await sender.SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:2", Note), CancellationToken.None);

        Assert.NotEqual(handler.Requests[0].Headers["webhook-id"], handler.Requests[1].Headers["webhook-id"]);
    }

    [Theory]
    [InlineData("call 1/transfer #1")]
    [InlineData("ключ-1")]
    [InlineData("a.b")]
    public void WebhookIdFor_KeyThatIsNotHeaderSafe_IsAStableHash(string key)
    {
        var id = SignedTelephonyCommandSender.WebhookIdFor(key);

        Assert.StartsWith(SignedTelephonyCommandSender.HashedWebhookIdPrefix, id, StringComparison.Ordinal);
        Assert.Equal(SignedTelephonyCommandSender.HashedWebhookIdPrefix.Length + 64, id.Length);
        Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c == '_'));
        Assert.Equal(id, SignedTelephonyCommandSender.WebhookIdFor(key));
    }

    [Fact]
    public void WebhookIdFor_VeryLongKey_IsHashed() =>
        Assert.StartsWith(SignedTelephonyCommandSender.HashedWebhookIdPrefix, SignedTelephonyCommandSender.WebhookIdFor(new string('k', 500)), StringComparison.Ordinal);

    [Fact]
    public async Task SendAsync_HashedKey_StillSignedAndSent()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);

        await Sender(handler).SendAsync(TelephonyCommand.AgentPrompt("call 1", "agent 7", "medical-emergency", "call 1 / prompt"), CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(SignedTelephonyCommandSender.WebhookIdFor("call 1 / prompt"), request.Headers["webhook-id"]);
        Assert.True(Verifies(request));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.Redirect)]
    public async Task SendAsync_Non2xx_ThrowsWithStatusAndExcerpt(HttpStatusCode status)
    {
        var handler = StubCommandsHandler.Answering(status, "{\"error\":\"platform busy\"}\nsecond line");

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(
            () => Sender(handler).SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), CancellationToken.None));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("{\"error\":\"platform busy\"} second line", ex.ResponseExcerpt);
        Assert.Contains(((int)status).ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("call-1:transfer:1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Note, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HugeRefusalBody_ExcerptIsShort()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.BadGateway, new string('x', 100_000));

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(
            () => Sender(handler).SendAsync(TelephonyCommand.AgentPrompt("call-1", "agent-7", "medical-emergency", "call-1:prompt"), CancellationToken.None));

        Assert.InRange(ex.ResponseExcerpt!.Length, 1, 256);
    }

    [Fact]
    public async Task SendAsync_NoAnswerWithinCommandTimeout_Throws()
    {
        var handler = new StubCommandsHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var send = Sender(handler).SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), CancellationToken.None);
        await handler.FirstRequest.WaitAsync(Deadline);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(send.IsCompleted, "the command timeout is 10 s on the injected clock");
        clock.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(() => send.WaitAsync(Deadline));
        Assert.Null(ex.StatusCode);
        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Lines, l => l.Contains(" 2303 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ConnectionError_Throws()
    {
        var handler = new StubCommandsHandler((_, _) => throw new HttpRequestException("Connection refused (platform.test:80)"));

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(
            () => Sender(handler).SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), CancellationToken.None));

        Assert.Null(ex.StatusCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var handler = new StubCommandsHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var cts = new CancellationTokenSource();

        var send = Sender(handler).SendAsync(TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", Note), cts.Token);
        await handler.FirstRequest.WaitAsync(Deadline);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(Deadline));
        Assert.IsNotType<TelephonyCommandException>(ex);
    }

    [Fact]
    public async Task SendAsync_NoCommandsUrl_ThrowsInvalidOperation()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.OK);
        var sender = Sender(handler, new TelephonyOptions { CommandSecret = Secret });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => sender.SendAsync(TelephonyCommand.AgentPrompt("call-1", "agent-7", "medical-emergency", "call-1:prompt"), CancellationToken.None));

        Assert.Contains("Telephony:CommandsUrl", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task SendAsync_NeverLogsTheNote()
    {
        var note = "handoff note 7f3a9c: " + Note;
        var accepted = StubCommandsHandler.Answering(HttpStatusCode.OK);
        var refused = StubCommandsHandler.Answering(HttpStatusCode.ServiceUnavailable, "busy");
        var unreachable = new StubCommandsHandler((_, _) => throw new HttpRequestException("Connection refused"));
        var command = TelephonyCommand.WarmTransfer("call-1", "69187", "call-1:transfer:1", note);

        await Sender(accepted).SendAsync(command, CancellationToken.None);
        await Assert.ThrowsAsync<TelephonyCommandException>(() => Sender(refused).SendAsync(command, CancellationToken.None));
        await Assert.ThrowsAsync<TelephonyCommandException>(() => Sender(unreachable).SendAsync(command, CancellationToken.None));

        Assert.Equal(3, logger.Lines.Count);
        Assert.All(logger.Lines, line => Assert.DoesNotContain("7f3a9c", line, StringComparison.Ordinal));
    }

    private static bool Verifies(StubCommandsHandler.RecordedRequest request) =>
        StandardWebhookSignature.Verify(
            [StandardWebhookSignature.DecodeSecret(Secret)],
            request.Headers["webhook-id"],
            request.Headers["webhook-timestamp"],
            request.Body,
            request.Headers["webhook-signature"]);

    private SignedTelephonyCommandSender Sender(StubCommandsHandler handler, TelephonyOptions? options = null)
    {
        options ??= new TelephonyOptions { CommandsUrl = CommandsUrl, CommandSecret = Secret };
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(SignedTelephonyCommandSender.HttpClientName))
            .Returns(() => new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });
        var monitor = new Mock<IOptionsMonitor<TelephonyOptions>>();
        monitor.SetupGet(m => m.CurrentValue).Returns(options);
        return new SignedTelephonyCommandSender(factory.Object, monitor.Object, clock, logger);
    }
}
