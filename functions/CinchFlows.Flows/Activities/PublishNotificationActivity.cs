using CinchFlows.Durable;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Flows.Activities;

/// <summary>Publishes one notification; its message id comes from the flow, so the broker drops a retry's repeat.</summary>
internal sealed class PublishNotificationActivity(INotificationPublisher publisher) : TaskActivity<Notification, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, Notification input)
    {
        await publisher.PublishAsync(input, context.CancellationToken).ConfigureAwait(false);
        return true;
    }
}
