using System.Text.Json.Nodes;

namespace CinchFlows.Web.Management;

/// <summary>
/// Shows a history event the way Durable's <c>historyEvents</c> do: an <c>eventType</c> (e.g. <c>TaskScheduled</c>)
/// plus the event's fields in camelCase, inputs and results embedded as JSON.
/// </summary>
internal static class HistoryEventJson
{
    private static readonly string[] PayloadFields = ["input", "result"];

    /// <summary>
    /// The event as the API shows it, from the backend's JSON (<c>EventType</c>, <c>EventId</c>, <c>Name</c>, …).
    /// An event that started a task or timer also carries its number as <c>taskId</c>, which completions refer to.
    /// </summary>
    public static JsonObject ToJson(JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var json = new JsonObject { ["eventType"] = stored["EventType"]?.DeepClone() };
        foreach (var (name, value) in stored)
        {
            if (name is "EventType" or "ExtensionData" or "IsPlayed" || value is null)
            {
                continue;
            }

            var field = char.ToLowerInvariant(name[0]) + name[1..];
            json[field] = PayloadFields.Contains(field, StringComparer.Ordinal) && value is JsonValue text && text.TryGetValue<string>(out var serialized)
                ? PayloadJson.Embed(serialized)
                : value.DeepClone();
        }

        if (json["eventType"]?.GetValue<string>() is "TaskScheduled" or "TimerCreated" or "SubOrchestrationInstanceCreated" && json["eventId"] is { } id)
        {
            json["taskId"] = id.DeepClone();
        }

        return json;
    }
}
