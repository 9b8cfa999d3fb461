using System.Text.Json.Nodes;

namespace CinchFlows.TelephonySimulator.Demo;

/// <summary>One notification a flow sent, as its history records it.</summary>
/// <param name="Topic">The topic (e.g. <c>HandoffNotes</c>).</param>
/// <param name="MessageId">The message id, the same on every try.</param>
/// <param name="Subject">The event kind, e.g. <c>handoff.note</c>.</param>
/// <param name="Properties">The application properties.</param>
/// <param name="Body">The JSON body.</param>
/// <param name="Status">"sent", "sending", or "failed: " and the reason of the last try.</param>
/// <param name="Tries">How many times the step was tried.</param>
internal sealed record SentNotification(string Topic, string MessageId, string Subject, JsonObject? Properties, JsonNode? Body, string Status, int Tries);
