using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using CinchFlows.Flows.Notifications;
using CinchFlows.Web.Notifications;
using CinchFlows.Web.Tests.Telephony;
using Microsoft.DurableTask;
using Moq;

namespace CinchFlows.Web.Tests.Notifications;

/// <summary>The Service Bus transport at the SDK seam: a mocked <see cref="ServiceBusClient"/> hands out mocked senders that capture each message.</summary>
public sealed class ServiceBusNotificationPublisherTests
{
    private readonly Mock<ServiceBusClient> client = new(MockBehavior.Strict);
    private readonly Dictionary<string, Mock<ServiceBusSender>> senders = new(StringComparer.Ordinal);
    private readonly List<(string Topic, ServiceBusMessage Message)> sent = [];
    private readonly RecordingLogger<ServiceBusNotificationPublisher> logger = new();

    public ServiceBusNotificationPublisherTests()
    {
        client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns((string topic) =>
        {
            var sender = new Mock<ServiceBusSender>();
            sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
                .Callback((ServiceBusMessage message, CancellationToken _) => sent.Add((topic, message)))
                .Returns(Task.CompletedTask);
            senders.Add(topic, sender);
            return sender.Object;
        });
        client.Setup(c => c.DisposeAsync()).Returns(ValueTask.CompletedTask);
    }

    public static TheoryData<NotificationTopic, string, string, string, string> Topics => new()
    {
        { NotificationTopic.AgentPrompts, "agent-prompts", "agent.prompt.medical-emergency", "callId", "call-7" },
        { NotificationTopic.HandoffNotes, "handoff-notes", "handoff.note", "callId", "call-7" },
        { NotificationTopic.ClaimsSeverity, "claims-severity", "severity.set", "serviceJobId", "SR-1" },
        { NotificationTopic.Escalations, "escalations", "escalation.routed", "serviceJobId", "JOB-2" },
        { NotificationTopic.SupervisorNotifications, "supervisor-notifications", "medical-transfer.not-connected", "callId", "call-7" },
        { NotificationTopic.CallbackTasks, "callback-tasks", "callback-task.created", "callId", "call-7" },
        { NotificationTopic.OpsAlerts, "ops-alerts", "escalation.unacknowledged", "serviceJobId", "JOB-3" },
    };

    [Theory]
    [MemberData(nameof(Topics))]
    public async Task Publish_EachTopic_SendsTheDocumentedMessageToItsTopic(NotificationTopic topic, string topicName, string subject, string keyProperty, string key)
    {
        await using var publisher = Publisher();
        var body = """{"note":"Rückruf erbeten ✓","attempt":1}""";
        var notification = new Notification(
            topic,
            $"flow-1:{topic}",
            subject,
            new Dictionary<string, string> { ["flowId"] = "flow-1", [keyProperty] = key, ["severity"] = "MedicalEmergency" },
            JsonDocument.Parse(body).RootElement.Clone());

        await publisher.PublishAsync(notification, default);

        var (to, message) = Assert.Single(sent);
        Assert.Equal(topicName, to);
        Assert.Equal(($"flow-1:{topic}", subject, "flow-1", "application/json"), (message.MessageId, message.Subject, message.CorrelationId, message.ContentType));
        Assert.Equal(body, Encoding.UTF8.GetString(message.Body.ToArray()));
        Assert.Equal(
            new Dictionary<string, object> { ["flowId"] = "flow-1", [keyProperty] = key, ["severity"] = "MedicalEmergency" },
            message.ApplicationProperties.ToDictionary(p => p.Key, p => p.Value));
    }

    [Fact]
    public async Task Publish_TraceParentProperty_TravelsAsAnApplicationProperty()
    {
        await using var publisher = Publisher();
        var notification = TestNotifications.Create() with
        {
            Properties = new Dictionary<string, string> { ["flowId"] = "flow-1", ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        };

        await publisher.PublishAsync(notification, default);

        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Assert.Single(sent).Message.ApplicationProperties["traceparent"]);
    }

    [Fact]
    public async Task Publish_ManyNotifications_UsesOneSenderPerConfiguredTopic_AndDisposeClosesThemAndTheClient()
    {
        var names = new NotificationTopicNames { HandoffNotes = "handoff-notes-eu" };
        var publisher = new ServiceBusNotificationPublisher(client.Object, names, logger);

        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => publisher.PublishAsync(TestNotifications.Create(messageId: $"m-{i}"), default)));
        await publisher.PublishAsync(TestNotifications.Create(NotificationTopic.OpsAlerts, messageId: "m-ops"), default);
        await publisher.DisposeAsync();

        client.Verify(c => c.CreateSender("handoff-notes-eu"), Times.Once);
        client.Verify(c => c.CreateSender("ops-alerts"), Times.Once);
        Assert.Equal(6, sent.Count);
        Assert.All(senders.Values, s => s.Verify(x => x.DisposeAsync(), Times.Once));
        client.Verify(c => c.DisposeAsync(), Times.Once);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => publisher.PublishAsync(TestNotifications.Create(), default));
    }

    [Fact]
    public async Task Publish_SendFails_Throws()
    {
        await using var publisher = Publisher();
        await publisher.PublishAsync(TestNotifications.Create(messageId: "first"), default);
        senders["handoff-notes"].Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("The namespace is busy (test).", ServiceBusFailureReason.ServiceBusy));

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => publisher.PublishAsync(TestNotifications.Create(), default));

        Assert.Equal(ServiceBusFailureReason.ServiceBusy, error.Reason);
    }

    [Fact]
    public async Task Publish_MessageTooLarge_ThrowsUndeliverableNamingTheMessageButNotItsBody()
    {
        await using var publisher = Publisher();
        await publisher.PublishAsync(TestNotifications.Create(messageId: "first"), default);
        senders["handoff-notes"].Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("The message exceeds the maximum size (test).", ServiceBusFailureReason.MessageSizeExceeded));

        var error = await Assert.ThrowsAsync<NotificationUndeliverableException>(() => publisher.PublishAsync(TestNotifications.Create(), default));

        Assert.Contains("flow-1:handoff-note:1 (handoff.note) can never be sent to Service Bus topic 'handoff-notes'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("medical emergency", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(logger.Lines, l => l.StartsWith("Error 2611 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Activity_SendFails_FailsTheActivity()
    {
        await using var publisher = Publisher();
        await publisher.PublishAsync(TestNotifications.Create(messageId: "first"), default);
        senders["handoff-notes"].Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("Unauthorized (test).", ServiceBusFailureReason.GeneralError));
        var activity = new PublishNotificationActivity(publisher);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => activity.RunAsync(Mock.Of<TaskActivityContext>(), TestNotifications.Create()));

        Assert.Contains("Unauthorized", error.Message, StringComparison.Ordinal);
    }

    private ServiceBusNotificationPublisher Publisher() => new(client.Object, new NotificationTopicNames(), logger);
}
