using System.Text.Json;

namespace CinchFlows.Flows.Notifications;

/// <summary>
/// One message for people (docs/api.md §3): JSON body, a message id that stays the same across retries (Service Bus drops
/// the repeat), a subject naming the event kind, and application properties (<c>flowId</c>, <c>callId</c> or
/// <c>serviceJobId</c>, <c>severity</c>).
/// </summary>
/// <param name="Topic">Which topic it goes to.</param>
/// <param name="MessageId">Stable across retries of the same step: derived from the flow id and the step.</param>
/// <param name="Subject">The event kind, e.g. <c>handoff.note</c>.</param>
/// <param name="Properties">Application properties; values are strings.</param>
/// <param name="Body">The JSON body.</param>
public sealed record Notification(
    NotificationTopic Topic,
    string MessageId,
    string Subject,
    IReadOnlyDictionary<string, string> Properties,
    JsonElement Body);
