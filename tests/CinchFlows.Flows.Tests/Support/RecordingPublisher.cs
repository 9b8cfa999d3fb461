using System.Text.Json;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>A broker that records every notification (deduplicating by message id, as Service Bus does).</summary>
internal sealed class RecordingPublisher : INotificationPublisher
{
    private readonly List<Notification> published = [];
    private int failuresLeft;

    /// <summary>Every delivery, repeats included.</summary>
    public IReadOnlyList<Notification> Published
    {
        get
        {
            lock (published)
            {
                return [.. published];
            }
        }
    }

    /// <summary>What subscribers see: one per message id.</summary>
    public IReadOnlyList<Notification> Delivered => Published.DistinctBy(n => n.MessageId).ToList();

    public IReadOnlyList<Notification> On(NotificationTopic topic) => Delivered.Where(n => n.Topic == topic).ToList();

    public IReadOnlyList<Notification> WithSubject(string subject) => Delivered.Where(n => n.Subject == subject).ToList();

    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    public Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            throw new IOException("broker unavailable (test)");
        }

        lock (published)
        {
            published.Add(notification);
        }

        return Task.CompletedTask;
    }

    /// <summary>A notification as one JSON text: topic, id, subject, properties and body.</summary>
    public static string Text(Notification n) =>
        JsonSerializer.Serialize(new { n.Topic, n.MessageId, n.Subject, n.Properties, n.Body });
}
