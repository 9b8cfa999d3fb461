using System.Collections.Concurrent;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>Accepts every notification and keeps it, so tests can prove what was and was not sent.</summary>
internal sealed class RecordingNotificationPublisher : INotificationPublisher
{
    public ConcurrentQueue<Notification> Published { get; } = new();

    public Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        Published.Enqueue(notification);
        return Task.CompletedTask;
    }
}
