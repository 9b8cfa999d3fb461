using System.Globalization;
using System.Text.Json.Nodes;

namespace CinchFlows.TelephonySimulator.Demo;

/// <summary>
/// The notifications a flow sent, read from its history: each <c>PublishNotificationActivity</c> step's input is the
/// notification (topic, message id, subject, properties, body) and its completion or failure says how it went. This
/// works for every transport, so nobody needs a broker client (or the az CLI) to read them.
/// </summary>
internal static class FlowNotifications
{
    /// <summary>The name of the activity that publishes notifications.</summary>
    public const string ActivityName = "PublishNotificationActivity";

    /// <summary>The notifications in <paramref name="history"/> (the management API's <c>historyEvents</c>), one per message id, in the order first sent.</summary>
    public static IReadOnlyList<SentNotification> FromHistory(JsonArray? history)
    {
        var byTask = new Dictionary<int, string>();
        var byMessage = new Dictionary<string, SentNotification>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var entry in history?.OfType<JsonObject>() ?? [])
        {
            switch ((string?)entry["eventType"])
            {
                case "TaskScheduled" when (string?)entry["name"] == ActivityName && Input(entry["input"]) is { } input && (string?)input["messageId"] is { } messageId:
                    if (TaskId(entry["taskId"] ?? entry["eventId"]) is { } taskId)
                    {
                        byTask[taskId] = messageId;
                    }

                    if (byMessage.TryGetValue(messageId, out var earlier))
                    {
                        byMessage[messageId] = earlier with { Status = "sending", Tries = earlier.Tries + 1 };
                    }
                    else
                    {
                        order.Add(messageId);
                        byMessage[messageId] = new SentNotification(
                            (string?)input["topic"] ?? "?",
                            messageId,
                            (string?)input["subject"] ?? "?",
                            input["properties"] as JsonObject,
                            input["body"],
                            "sending",
                            1);
                    }

                    break;
                case "TaskCompleted" when Scheduled(entry) is { } id && byTask.TryGetValue(id, out var sent):
                    byMessage[sent] = byMessage[sent] with { Status = "sent" };
                    break;
                case "TaskFailed" when Scheduled(entry) is { } id && byTask.TryGetValue(id, out var failed):
                    var details = entry["failureDetails"];
                    var reason = (string?)details?["errorMessage"] ?? (string?)details?["ErrorMessage"] ?? (string?)entry["reason"] ?? "no reason given";
                    byMessage[failed] = byMessage[failed] with { Status = "failed: " + reason };
                    break;
            }
        }

        return [.. order.Select(id => byMessage[id])];
    }

    // The engine records an activity's input as its argument list: one notification in an array.
    private static JsonObject? Input(JsonNode? input) => input switch
    {
        JsonObject single => single,
        JsonArray { Count: 1 } list => list[0] as JsonObject,
        _ => null,
    };

    private static int? Scheduled(JsonObject entry) => TaskId(entry["taskScheduledId"]);

    private static int? TaskId(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<int>(out var number) || (value.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out number)))
            ? number
            : null;
}
