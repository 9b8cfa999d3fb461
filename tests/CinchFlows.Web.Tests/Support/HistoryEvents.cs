using System.Text.Json.Nodes;

namespace CinchFlows.Web.Tests.Support;

/// <summary>Reads history events in the backend's field names (<c>EventType</c>, <c>Name</c>, <c>Input</c>, …).</summary>
internal static class HistoryEvents
{
    /// <summary>The <c>EventRaised</c> events named <paramref name="name"/>, oldest first.</summary>
    public static IEnumerable<JsonObject> Raised(this IEnumerable<JsonObject> history, string name) =>
        history.Where(e => (string?)e["EventType"] == "EventRaised" && (string?)e["Name"] == name);

    /// <summary>The serialized input of an event.</summary>
    public static string? Input(this JsonObject historyEvent) => (string?)historyEvent["Input"];
}
