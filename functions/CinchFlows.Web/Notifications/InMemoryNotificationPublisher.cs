using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Notifications;

/// <summary>
/// Keeps the most recent notifications in this process and logs each one: the transport of the in-memory run mode
/// (<c>Durable:Store</c> = <c>InMemory</c>), where there is no storage account or broker to send to.
/// </summary>
internal sealed class InMemoryNotificationPublisher(ILogger<InMemoryNotificationPublisher> logger) : INotificationPublisher
{
    /// <summary>How many notifications are kept; older ones are dropped.</summary>
    public const int Capacity = 1000;

    private readonly Queue<Notification> recent = new();

    /// <summary>The kept notifications, oldest first, one per message id.</summary>
    public IReadOnlyList<Notification> Recent
    {
        get
        {
            lock (recent)
            {
                return [.. recent];
            }
        }
    }

    /// <inheritdoc/>
    public Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (recent)
        {
            if (recent.Any(n => n.MessageId == notification.MessageId))
            {
                return Task.CompletedTask;
            }

            recent.Enqueue(notification);
            while (recent.Count > Capacity)
            {
                recent.Dequeue();
            }
        }

        logger.KeptInMemory(notification.MessageId, notification.Subject, notification.Topic);
        return Task.CompletedTask;
    }
}
