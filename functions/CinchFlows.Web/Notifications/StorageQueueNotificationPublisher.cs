using System.Collections.Concurrent;
using Azure.Storage.Queues;
using CinchFlows.Flows.Notifications;
using CinchFlows.Storage;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Notifications;

/// <summary>
/// Puts each notification on the Azure Storage queue named after its topic, on the app's own storage account
/// (<c>AzureWebJobsStorage</c>), as Base64 JSON for Azure Functions queue triggers.
/// Storage queues have no duplicate detection: a retried step can enqueue the same message id twice, so consumers
/// de-duplicate by <c>messageId</c>. Queues are created when first used, once per process.
/// </summary>
internal sealed class StorageQueueNotificationPublisher : INotificationPublisher
{
    private readonly QueueServiceClient service;
    private readonly NotificationTopicNames names;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queues = new(StringComparer.Ordinal);

    /// <summary>A publisher on the app's storage account, with the topic names of <c>Notifications:Topics</c>.</summary>
    public StorageQueueNotificationPublisher(
        IOptions<NotificationOptions> options,
        AppStorage storage,
        ILogger<StorageQueueNotificationPublisher> logger)
        : this(storage?.Queues("notifications") ?? throw new ArgumentNullException(nameof(storage)), TopicNames(options), logger)
    {
    }

    /// <summary>A publisher on the queue service <paramref name="service"/> (bodies are Base64-encoded here, not by the SDK).</summary>
    internal StorageQueueNotificationPublisher(QueueServiceClient service, NotificationTopicNames names, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(logger);
        this.service = service;
        this.names = names;
        this.logger = logger;
    }

    /// <summary>Where the queue service is (for tests and diagnostics).</summary>
    internal Uri ServiceUri => service.Uri;

    /// <inheritdoc/>
    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var text = StorageQueueEnvelope.Encode(notification);
        var queueName = names.For(notification.Topic).Trim();
        var queue = await GetQueueAsync(queueName, cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(text, cancellationToken).ConfigureAwait(false);
        logger.Published(notification.MessageId, notification.Subject, notification.Topic, queueName);
    }

    /// <summary>
    /// True for a valid Azure Storage queue name: 3 to 63 lowercase letters, digits and hyphens, starting and ending with
    /// a letter or digit, with no two hyphens in a row.
    /// </summary>
    public static bool IsValidQueueName(string? name)
    {
        if (name is null || name.Length is < 3 or > 63 || name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var allowed = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (c == '-' && name[i - 1] != '-');
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    private static NotificationTopicNames TopicNames(IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.Topics;
    }

    private async Task<QueueClient> GetQueueAsync(string name, CancellationToken cancellationToken)
    {
        var creation = queues.GetOrAdd(name, key => new Lazy<Task<QueueClient>>(() => CreateQueueAsync(key)));
        try
        {
            return await creation.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (creation.Value.IsFaulted || creation.Value.IsCanceled)
        {
            // Try again on the next publish rather than remember the failure for the life of the process.
            queues.TryRemove(new KeyValuePair<string, Lazy<Task<QueueClient>>>(name, creation));
            throw;
        }
    }

    private async Task<QueueClient> CreateQueueAsync(string name)
    {
        var queue = service.GetQueueClient(name);

        // Not the caller's token: other publishes wait on this creation too.
        if (await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false) is not null)
        {
            logger.QueueCreated(name);
        }

        return queue;
    }
}
