using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.Durable;
using CinchFlows.Durable.History;

namespace CinchFlows.Functions.Management;

/// <summary>Shows a history event the way Durable's <c>historyEvents</c> do: an <c>eventType</c> plus the event's fields.</summary>
internal static class HistoryEventJson
{
    private static readonly string[] PayloadFields = ["input", "result"];

    /// <summary>The event's kind in PascalCase, e.g. "TaskScheduled" for <see cref="TaskScheduledEvent"/>.</summary>
    public static string EventType(HistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        var name = historyEvent.GetType().Name;
        return name.EndsWith("Event", StringComparison.Ordinal) && name.Length > "Event".Length ? name[..^"Event".Length] : name;
    }

    /// <summary>The event as a JSON object with <c>eventType</c> first; inputs and results are embedded as JSON values.</summary>
    public static JsonObject ToJson(HistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        var fields = JsonSerializer.SerializeToNode(historyEvent, historyEvent.GetType(), DurableJson.Options)!.AsObject();
        var json = new JsonObject { ["eventType"] = EventType(historyEvent) };
        foreach (var (name, value) in fields.ToList())
        {
            if (name.StartsWith('$'))
            {
                continue;
            }

            fields.Remove(name);
            json[name] = PayloadFields.Contains(name, StringComparer.Ordinal) && value is JsonValue text && text.TryGetValue<string>(out var serialized)
                ? PayloadJson.Embed(serialized)
                : value;
        }

        return json;
    }
}
