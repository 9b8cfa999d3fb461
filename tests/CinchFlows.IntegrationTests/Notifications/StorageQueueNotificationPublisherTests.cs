using System.Text.Json;
using Azure.Storage.Queues;
using CinchFlows.Flows.Notifications;
using CinchFlows.Web.Notifications;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.IntegrationTests.Notifications;

/// <summary>The storage-queue transport against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueNotificationPublisherTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Publish_EveryTopic_PutsABase64EnvelopeOnTheTopicsQueue()
    {
        var prefix = azurite.NewTaskHub()[..13];
        await using var services = Services(prefix);
        var publisher = services.GetRequiredService<INotificationPublisher>();
        Assert.IsType<StorageQueueNotificationPublisher>(publisher);

        foreach (var topic in NotificationSamples.AllTopics)
        {
            await publisher.PublishAsync(NotificationSamples.For(topic, prefix), CancellationToken.None);
        }

        foreach (var topic in NotificationSamples.AllTopics)
        {
            var sent = NotificationSamples.For(topic, prefix);
            var envelope = Assert.Single(await ReceiveAsync(NotificationSamples.QueueName(prefix, topic), 32));
            Assert.Equal(sent.MessageId, envelope.GetProperty("messageId").GetString());
            Assert.Equal(sent.Subject, envelope.GetProperty("subject").GetString());
            Assert.Equal(
                sent.Properties.OrderBy(p => p.Key),
                envelope.GetProperty("properties").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)).OrderBy(p => p.Key));
            Assert.Equal(topic.ToString(), envelope.GetProperty("body").GetProperty("topic").GetString());
            Assert.Equal("Kund*in: Rückruf erbeten ✓", envelope.GetProperty("body").GetProperty("note").GetString());
        }
    }

    [Fact]
    public async Task Publish_SameMessageTwice_KeepsBoth()
    {
        // Storage queues have no duplicate detection: consumers de-duplicate by messageId.
        var prefix = azurite.NewTaskHub()[..13];
        await using var services = Services(prefix);
        var publisher = services.GetRequiredService<INotificationPublisher>();
        var notification = NotificationSamples.For(NotificationTopic.Escalations, prefix);

        await publisher.PublishAsync(notification, CancellationToken.None);
        await publisher.PublishAsync(notification, CancellationToken.None);

        var envelopes = await ReceiveAsync(NotificationSamples.QueueName(prefix, NotificationTopic.Escalations), 32);
        Assert.Equal([notification.MessageId, notification.MessageId], envelopes.Select(e => e.GetProperty("messageId").GetString()));
    }

    private async Task<IReadOnlyList<JsonElement>> ReceiveAsync(string queueName, int max)
    {
        var queue = new QueueClient(azurite.ConnectionString, queueName);
        var messages = await queue.ReceiveMessagesAsync(max);
        return [.. messages.Value.Select(m => JsonDocument.Parse(Convert.FromBase64String(m.Body.ToString())).RootElement.Clone())];
    }

    private ServiceProvider Services(string prefix)
    {
        var settings = NotificationSamples.TopicOverrides(prefix);
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var account = new StorageAccountOptions();
        account.ReadConfiguration(configuration);

        // The app's storage account, as the host registers it (the queues are named by the topics, not the task hub).
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(new AppStorage(account, new StorageRequestCounter(), prefix))
            .AddNotifications()
            .BuildServiceProvider();
    }
}
