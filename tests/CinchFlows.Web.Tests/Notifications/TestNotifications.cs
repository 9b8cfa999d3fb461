using System.Text.Json;
using CinchFlows.Flows.Notifications;

namespace CinchFlows.Web.Tests.Notifications;

/// <summary>Sample notifications for the transport tests.</summary>
internal static class TestNotifications
{
    public static Notification Create(
        NotificationTopic topic = NotificationTopic.HandoffNotes,
        string messageId = "flow-1:handoff-note:1",
        string subject = "handoff.note",
        string body = """{"callId":"call-7","note":"Customer reports a medical emergency; warm transfer to 69187.","attempt":1}""") =>
        new(
            topic,
            messageId,
            subject,
            new Dictionary<string, string> { ["flowId"] = "flow-1", ["callId"] = "call-7", ["severity"] = "high" },
            JsonDocument.Parse(body).RootElement.Clone());
}
