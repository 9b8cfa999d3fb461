using CinchFlows.Flows.Notifications;
using CinchFlows.Functions.Notifications;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.IntegrationTests.Notifications;

/// <summary>The AMQP transport against a real RabbitMQ with its AMQP 1.0 plugin.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class AmqpNotificationPublisherTests(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Publish_EveryTopic_ArrivesWithItsIdSubjectPropertiesAndJsonBody()
    {
        var prefix = rabbit.NewQueuePrefix();
        await rabbit.DeclareQueuesAsync([.. NotificationSamples.AllTopics.Select(t => NotificationSamples.QueueName(prefix, t))]);
        await using var services = Services(prefix);
        var publisher = services.GetRequiredService<INotificationPublisher>();
        Assert.IsType<AmqpNotificationPublisher>(publisher);

        foreach (var topic in NotificationSamples.AllTopics)
        {
            await publisher.PublishAsync(NotificationSamples.For(topic, prefix), CancellationToken.None);
        }

        foreach (var topic in NotificationSamples.AllTopics)
        {
            var sent = NotificationSamples.For(topic, prefix);
            var message = Assert.Single(await rabbit.ReceiveAsync(NotificationSamples.QueueName(prefix, topic), 1, ReceiveTimeout));
            Assert.Equal(sent.MessageId, message.MessageId);
            Assert.Equal(sent.Subject, message.Subject);
            Assert.Equal("application/json", message.ContentType);
            Assert.True(message.Durable);
            Assert.Equal(sent.Properties.OrderBy(p => p.Key), message.ApplicationProperties.Select(p => KeyValuePair.Create(p.Key, (string)p.Value!)).OrderBy(p => p.Key));
            Assert.Equal(sent.Body.GetRawText(), message.BodyText);
            Assert.Equal(topic.ToString(), message.Json.GetProperty("topic").GetString());
            Assert.Equal("Kund*in: Rückruf erbeten ✓", message.Json.GetProperty("note").GetString());
        }
    }

    [Fact]
    public async Task Publish_AfterTheBrokerDroppedTheConnection_ReconnectsAndDelivers()
    {
        var prefix = rabbit.NewQueuePrefix();
        var queue = NotificationSamples.QueueName(prefix, NotificationTopic.OpsAlerts);
        await rabbit.DeclareQueuesAsync(queue);
        await using var services = Services(prefix);
        var publisher = services.GetRequiredService<INotificationPublisher>();
        await publisher.PublishAsync(NotificationSamples.For(NotificationTopic.OpsAlerts, prefix, 1), CancellationToken.None);

        Assert.Equal(1, await rabbit.DropAllConnectionsAsync());
        await publisher.PublishAsync(NotificationSamples.For(NotificationTopic.OpsAlerts, prefix, 2), CancellationToken.None);
        await publisher.PublishAsync(NotificationSamples.For(NotificationTopic.OpsAlerts, prefix, 3), CancellationToken.None);

        var received = await rabbit.ReceiveAsync(queue, 3, ReceiveTimeout);
        Assert.Equal(
            [$"{prefix}:OpsAlerts:1", $"{prefix}:OpsAlerts:2", $"{prefix}:OpsAlerts:3"],
            received.Select(m => m.MessageId).Order(StringComparer.Ordinal));

        // One new connection replaced the dropped one; none was leaked.
        await Eventually.WaitUntilAsync(async () => await rabbit.ConnectionCountAsync() == 1, ReceiveTimeout, "exactly one publisher connection");
    }

    [Fact]
    public async Task Publish_FiftyConcurrently_EachArrivesExactlyOnceOverOneConnection()
    {
        const int count = 50;
        var prefix = rabbit.NewQueuePrefix();
        var queue = NotificationSamples.QueueName(prefix, NotificationTopic.CallbackTasks);
        await rabbit.DeclareQueuesAsync(queue);
        await using var services = Services(prefix);
        var publisher = services.GetRequiredService<INotificationPublisher>();

        await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
            Task.Run(() => publisher.PublishAsync(NotificationSamples.For(NotificationTopic.CallbackTasks, prefix, i), CancellationToken.None))));

        Assert.Equal(1, await rabbit.ConnectionCountAsync());
        var received = await rabbit.ReceiveAsync(queue, count, ReceiveTimeout);
        Assert.Equal(
            Enumerable.Range(1, count).Select(i => $"{prefix}:CallbackTasks:{i}").Order(StringComparer.Ordinal),
            received.Select(m => m.MessageId!).Order(StringComparer.Ordinal));

        // Every publish was settled before the receive, so anything still queued would be a duplicate.
        Assert.Equal(0, await rabbit.MessageCountAsync(queue));
    }

    [Fact]
    public async Task Dispose_ClosesThePublishersConnection()
    {
        var prefix = rabbit.NewQueuePrefix();
        await rabbit.DeclareQueuesAsync(NotificationSamples.QueueName(prefix, NotificationTopic.AgentPrompts));
        var services = Services(prefix);
        await services.GetRequiredService<INotificationPublisher>()
            .PublishAsync(NotificationSamples.For(NotificationTopic.AgentPrompts, prefix), CancellationToken.None);
        Assert.Equal(1, await rabbit.ConnectionCountAsync());

        await services.DisposeAsync();

        await Eventually.WaitUntilAsync(async () => await rabbit.ConnectionCountAsync() == 0, ReceiveTimeout, "the publisher's connection to close");
    }

    private ServiceProvider Services(string prefix)
    {
        var settings = NotificationSamples.TopicOverrides(prefix);
        settings["Notifications:Transport"] = "amqp";
        settings["Notifications:Amqp:ConnectionString"] = rabbit.ConnectionString;
        settings["Notifications:Amqp:AddressTemplate"] = RabbitMqFixture.AddressTemplate;
        settings["Notifications:Amqp:OperationTimeout"] = "00:00:15";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddNotifications()
            .BuildServiceProvider();
    }
}
