using System.Text.Json;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.IntegrationTests.Notifications;

/// <summary>Notifications and topic-name settings for the transport tests.</summary>
internal static class NotificationSamples
{
    public static IReadOnlyList<NotificationTopic> AllTopics { get; } = Enum.GetValues<NotificationTopic>();

    /// <summary>A notification whose id, subject, properties and body all name its topic and number, so each arrival can be checked.</summary>
    public static Notification For(NotificationTopic topic, string runId, int number = 1) =>
        new(
            topic,
            $"{runId}:{topic}:{number}",
            $"{topic}.test".ToLowerInvariant(),
            new Dictionary<string, string>
            {
                ["flowId"] = $"flow-{runId}",
                [topic == NotificationTopic.Escalations ? "serviceJobId" : "callId"] = $"id-{number}",
                ["severity"] = number % 2 == 0 ? "high" : "low",
            },
            JsonSerializer.SerializeToElement(new { topic = topic.ToString(), number, note = "Kund*in: Rückruf erbeten ✓" }));

    /// <summary>Settings that rename every topic to "{prefix}-{default name}", so each test has queues of its own.</summary>
    public static Dictionary<string, string?> TopicOverrides(string prefix) =>
        AllTopics.ToDictionary(t => $"Notifications:Topics:{t}", t => (string?)$"{prefix}-{DefaultName(t)}");

    public static string QueueName(string prefix, NotificationTopic topic) => $"{prefix}-{DefaultName(topic)}";

    private static string DefaultName(NotificationTopic topic) => new CinchFlows.Web.Notifications.NotificationTopicNames().For(topic);
}
