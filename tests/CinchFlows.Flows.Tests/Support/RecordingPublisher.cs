using System.Text.Json;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Flows.Tests.Support;

/// <summary>A broker that records every notification (deduplicating by message id, as Service Bus does).</summary>
internal sealed class RecordingPublisher : INotificationPublisher
{
    private readonly List<Notification> published = [];
    private readonly List<Notification> attempts = [];
    private int failuresLeft;
    private string? undeliverableSubject;
    private string? alwaysFailingSubject;

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

    /// <summary>Every call, failed ones included.</summary>
    public IReadOnlyList<Notification> Attempts
    {
        get
        {
            lock (attempts)
            {
                return [.. attempts];
            }
        }
    }

    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    /// <summary>Every notification with <paramref name="subject"/> is refused as one that can never be sent (e.g. too large).</summary>
    public void RejectAsUndeliverable(string subject) => undeliverableSubject = subject;

    /// <summary>Every notification with <paramref name="subject"/> fails as a broker outage would, on every try.</summary>
    public void AlwaysFail(string subject) => alwaysFailingSubject = subject;

    public Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        lock (attempts)
        {
            attempts.Add(notification);
        }

        if (notification.Subject == undeliverableSubject)
        {
            throw new NotificationUndeliverableException($"Notification {notification.MessageId} ({notification.Subject}) can never be sent: too large (test).");
        }

        if (notification.Subject == alwaysFailingSubject)
        {
            throw new IOException("broker unavailable (test)");
        }

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
