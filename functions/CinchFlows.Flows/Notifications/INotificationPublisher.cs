namespace CinchFlows.Flows.Notifications;

/// <summary>Sends notifications to their topic (Service Bus, or storage queues locally).</summary>
public interface INotificationPublisher
{
    /// <summary>Sends one notification; throws when the broker did not accept it, so the calling activity retries (<see cref="NotificationUndeliverableException"/> when it never can).</summary>
    Task PublishAsync(Notification notification, CancellationToken cancellationToken);
}
