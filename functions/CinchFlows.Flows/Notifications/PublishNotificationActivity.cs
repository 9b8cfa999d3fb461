using Microsoft.DurableTask;

namespace CinchFlows.Flows.Notifications;

/// <summary>Publishes one notification; its message id comes from the flow, so the broker drops a retry's repeat.</summary>
internal sealed class PublishNotificationActivity(INotificationPublisher publisher) : TaskActivity<Notification, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, Notification input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = FlowTracing.StartPublish(input.Topic.ToString(), input.Subject, input.MessageId);
        if (System.Diagnostics.Activity.Current is { } current && !input.Properties.ContainsKey(FlowTracing.TraceParent))
        {
            // The trace goes on with whoever reads the message (a Service Bus application property, or the storage envelope's properties).
            input = input with { Properties = new Dictionary<string, string>(input.Properties) { [FlowTracing.TraceParent] = current.Id! } };
        }

        await publisher.PublishAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
