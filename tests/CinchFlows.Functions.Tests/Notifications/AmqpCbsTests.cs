using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using CinchFlows.Flows.Notifications;
using CinchFlows.Functions.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Functions.Tests.Notifications;

/// <summary>The AMQP publisher's Service Bus path (SASL ANONYMOUS, CBS put-token) against <see cref="FakeServiceBus"/>.</summary>
public sealed class AmqpCbsTests
{
    private const string KeyName = "send-only";
    private const string Key = "NotARealKey+OnlyForTests/0123456789abcdefg=";

    [Fact]
    public async Task Publish_WithSharedAccessKey_PutsAVerifiableSasTokenThenSends()
    {
        using var bus = new FakeServiceBus("agent-prompts");
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000000));
        await using var publisher = SasPublisher(bus, time);

        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts, "m-1", "agent.prompt"), CancellationToken.None);

        var request = Assert.Single(bus.TokenRequests);
        Assert.Equal("put-token", request.Operation);
        Assert.Equal("servicebus.windows.net:sastoken", request.Type);
        Assert.Equal("amqp://127.0.0.1/agent-prompts", request.Name);
        Assert.NotNull(request.ReplyTo);
        Assert.Equal(new DateTime(2023, 11, 14, 23, 13, 20, DateTimeKind.Utc), Assert.IsType<DateTime>(request.Expiration));

        var fields = SharedAccessSignatureTests.Fields(request.Token);
        Assert.Equal("http://127.0.0.1/agent-prompts", WebUtility.UrlDecode(fields["sr"]));
        Assert.Equal("1700003600", fields["se"]);
        Assert.Equal(KeyName, fields["skn"]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(fields["sr"] + "\n" + fields["se"])));
        Assert.Equal(expected, WebUtility.UrlDecode(fields["sig"]));

        var message = Assert.Single(bus.Received);
        Assert.Equal(("agent-prompts", "m-1", "agent.prompt", "application/json", true), (message.Topic, message.MessageId, message.Subject, message.ContentType, message.Durable));
        Assert.Equal("flow-1", message.Properties["flowId"]);
    }

    [Fact]
    public async Task Publish_TwoTopics_PutsOneTokenPerEntityAndReusesItsLink()
    {
        using var bus = new FakeServiceBus("agent-prompts", "ops-alerts");
        await using var publisher = SasPublisher(bus, new FakeTimeProvider());

        for (var i = 0; i < 3; i++)
        {
            await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts, $"a-{i}"), CancellationToken.None);
            await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.OpsAlerts, $"o-{i}"), CancellationToken.None);
        }

        Assert.Equal(["amqp://127.0.0.1/agent-prompts", "amqp://127.0.0.1/ops-alerts"], bus.TokenRequests.Select(r => r.Name));
        Assert.Equal(6, bus.Received.Count);
    }

    [Fact]
    public async Task Publish_TokenOlderThan45Minutes_PutsAFreshOne()
    {
        using var bus = new FakeServiceBus("escalations");
        var time = new FakeTimeProvider();
        await using var publisher = SasPublisher(bus, time);

        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.Escalations, "e-1"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(44));
        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.Escalations, "e-2"), CancellationToken.None);
        Assert.Single(bus.TokenRequests);

        time.Advance(TimeSpan.FromMinutes(2));
        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.Escalations, "e-3"), CancellationToken.None);

        Assert.Equal(2, bus.TokenRequests.Count);
        Assert.NotEqual(bus.TokenRequests.First().Token, bus.TokenRequests.Last().Token);
        Assert.Equal(3, bus.Received.Count);
    }

    [Fact]
    public async Task Publish_WithEntraCredential_PutsAJwt()
    {
        using var bus = new FakeServiceBus("callback-tasks");
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("header.payload.signature", DateTimeOffset.FromUnixTimeSeconds(1700003600)));
        await using var publisher = Publisher(new AmqpEndpoint(bus.Address, new EntraIdTokenProvider(credential.Object)), new FakeTimeProvider());

        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.CallbackTasks), CancellationToken.None);

        var request = Assert.Single(bus.TokenRequests);
        Assert.Equal(("jwt", "header.payload.signature", "amqp://127.0.0.1/callback-tasks"), (request.Type, request.Token, request.Name));
        Assert.Single(bus.Received);
    }

    [Fact]
    public async Task Publish_TokenRefused_ThrowsUnauthorizedWithTheBrokersReason()
    {
        using var bus = new FakeServiceBus("agent-prompts") { TokenStatusCode = 401 };
        await using var publisher = SasPublisher(bus, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts), CancellationToken.None));

        Assert.Contains("status 401 InvalidSignature", error.Message, StringComparison.Ordinal);
        Assert.Empty(bus.Received);
    }

    [Fact]
    public async Task Publish_MessageRejected_ThrowsWithTheCondition()
    {
        using var bus = new FakeServiceBus("agent-prompts") { RejectCondition = "amqp:resource-limit-exceeded" };
        await using var publisher = SasPublisher(bus, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts, "m-9"), CancellationToken.None));

        Assert.Contains("Notification m-9 was not accepted on 'agent-prompts'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rejected it: amqp:resource-limit-exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ToAnEntityTheBrokerDoesNotHave_ThrowsThatTheLinkWasRefused()
    {
        using var bus = new FakeServiceBus("agent-prompts");
        await using var publisher = SasPublisher(bus, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => publisher.PublishAsync(TestNotifications.Create(NotificationTopic.OpsAlerts), CancellationToken.None));

        Assert.Contains("refused a sender link to 'ops-alerts'", error.Message, StringComparison.Ordinal);

        // The connection is still good for the entities that exist.
        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts), CancellationToken.None);
        Assert.Single(bus.Received);
    }

    [Fact]
    public async Task Publish_AfterDispose_Throws()
    {
        using var bus = new FakeServiceBus("agent-prompts");
        var publisher = SasPublisher(bus, new FakeTimeProvider());
        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts), CancellationToken.None);

        await publisher.DisposeAsync();
        await publisher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => publisher.PublishAsync(TestNotifications.Create(NotificationTopic.AgentPrompts), CancellationToken.None));
    }

    [Fact]
    public async Task Publish_NoBroker_ThrowsPromptly()
    {
        int port;
        using (var bus = new FakeServiceBus())
        {
            port = bus.Port;
        }

        await using var publisher = Publisher(new AmqpEndpoint(new Amqp.Address("127.0.0.1", port, null, null, "/", "amqp")), TimeProvider.System);

        await Assert.ThrowsAnyAsync<Exception>(
            () => publisher.PublishAsync(TestNotifications.Create(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    private static AmqpNotificationPublisher SasPublisher(FakeServiceBus bus, TimeProvider time) =>
        Publisher(new AmqpEndpoint(bus.Address, new SharedAccessSignatureTokenProvider(KeyName, Key, time)), time);

    private static AmqpNotificationPublisher Publisher(AmqpEndpoint endpoint, TimeProvider time) =>
        new(endpoint, new NotificationAddressResolver(new NotificationOptions()), TimeSpan.FromSeconds(10), time, NullLogger.Instance);
}
