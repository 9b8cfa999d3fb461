using CinchFlows.Flows.Notifications;

namespace CinchFlows.IntegrationTests.Webhooks;

/// <summary>A broker that accepts every notification, so flows started in these tests keep running.</summary>
internal sealed class AcceptingNotificationPublisher : INotificationPublisher
{
    public Task PublishAsync(Notification notification, CancellationToken cancellationToken) => Task.CompletedTask;
}
