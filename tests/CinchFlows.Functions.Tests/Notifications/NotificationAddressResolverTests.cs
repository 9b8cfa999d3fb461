using CinchFlows.Flows.Notifications;
using CinchFlows.Functions.Notifications;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class NotificationAddressResolverTests
{
    [Theory]
    [InlineData(NotificationTopic.AgentPrompts, "agent-prompts")]
    [InlineData(NotificationTopic.HandoffNotes, "handoff-notes")]
    [InlineData(NotificationTopic.ClaimsSeverity, "claims-severity")]
    [InlineData(NotificationTopic.Escalations, "escalations")]
    [InlineData(NotificationTopic.SupervisorNotifications, "supervisor-notifications")]
    [InlineData(NotificationTopic.CallbackTasks, "callback-tasks")]
    [InlineData(NotificationTopic.OpsAlerts, "ops-alerts")]
    public void DefaultTemplate_AddressIsTheApiTopicName(NotificationTopic topic, string expected)
    {
        var resolver = new NotificationAddressResolver(new NotificationOptions());

        Assert.Equal(expected, resolver.TopicName(topic));
        Assert.Equal(expected, resolver.Address(topic));
    }

    [Fact]
    public void RabbitMqTemplate_PutsTheTopicNameInThePath()
    {
        var options = new NotificationOptions { Amqp = { AddressTemplate = "/amq/queue/{topic}" } };

        Assert.Equal("/amq/queue/ops-alerts", new NotificationAddressResolver(options).Address(NotificationTopic.OpsAlerts));
    }

    [Fact]
    public void TopicOverride_IsUsedInTheAddress()
    {
        var options = new NotificationOptions { Topics = { Escalations = " t1-escalations " }, Amqp = { AddressTemplate = "/exchange/cinch/{topic}" } };
        var resolver = new NotificationAddressResolver(options);

        Assert.Equal("t1-escalations", resolver.TopicName(NotificationTopic.Escalations));
        Assert.Equal("/exchange/cinch/t1-escalations", resolver.Address(NotificationTopic.Escalations));
    }
}
