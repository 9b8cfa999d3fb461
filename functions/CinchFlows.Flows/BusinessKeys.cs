using System.Buffers;

namespace CinchFlows.Flows;

/// <summary>
/// Flow instance ids derived from business keys (call id, service job id, request id), so a redelivered trigger never
/// starts a second flow. Keys must be safe inside an instance id.
/// </summary>
public static class BusinessKeys
{
    /// <summary>The longest key accepted: two keys and a flow's prefix fit one instance id (200 characters).</summary>
    public const int MaxLength = 80;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@");

    /// <summary>F1's id for a call.</summary>
    public static string MedicalEmergencyTransfer(string callId) => "medical-" + callId;

    /// <summary>F3's id for a supervisor request on a call.</summary>
    /// <remarks>The F3 prefixes (<c>callback-call-</c>, <c>callback-medical-</c>, <c>callback-request-</c>) are none a prefix of another, so no key makes one flow's id another's.</remarks>
    public static string SupervisorCallback(string callId) => "callback-call-" + callId;

    /// <summary>F3's id for the callback F1 opens when its transfer never connected.</summary>
    public static string MedicalCallback(string callId) => "callback-medical-" + callId;

    /// <summary>F3's id for a callback requested from another channel.</summary>
    public static string ChannelCallback(string requestId) => "callback-request-" + requestId;

    /// <summary>F2's id: one running escalation per service job and reason (a later one, once it has ended, gets <c>-2</c>, <c>-3</c>, …).</summary>
    public static string SeverityEscalation(string serviceJobId, string reason) => "escalation-" + serviceJobId + "-" + reason;

    /// <summary>The id of the <paramref name="number"/>th escalation of a job for one reason (the first has no number).</summary>
    public static string SeverityEscalation(string serviceJobId, string reason, int number) =>
        number <= 1 ? SeverityEscalation(serviceJobId, reason) : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{SeverityEscalation(serviceJobId, reason)}-{number}");

    /// <summary>F2's id when F1 (scenario 2) starts it: one per service request and call (the <c>@</c> keeps it apart from the numbered form).</summary>
    public static string MedicalSeverityEscalation(string serviceRequestId, string callId) => SeverityEscalation(serviceRequestId, "medical-emergency") + "@" + callId;

    /// <summary>The prefix every F2 id of a service job starts with.</summary>
    public static string SeverityEscalationPrefix(string serviceJobId) => "escalation-" + serviceJobId + "-";

    /// <summary>Every flow id a call can have, for delivering call events.</summary>
    public static IReadOnlyList<string> FlowsOfCall(string callId) =>
        [MedicalEmergencyTransfer(callId), SupervisorCallback(callId), MedicalCallback(callId)];

    /// <summary>True when <paramref name="key"/> can be part of an instance id.</summary>
    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxLength && !key.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws <see cref="FlowInputException"/> naming <paramref name="field"/> when the key is not valid.</summary>
    public static string Validate(string? key, string field) =>
        IsValid(key)
            ? key!
            : throw new FlowInputException($"'{field}' must be 1-{MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'.");
}
