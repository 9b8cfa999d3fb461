using System.Buffers;
using CinchFlows.Durable;

namespace CinchFlows.Flows;

/// <summary>
/// Flow instance ids derived from business keys (call id, service job id, request id), so a redelivered trigger never
/// starts a second flow. Keys must be safe inside an instance id.
/// </summary>
public static class BusinessKeys
{
    /// <summary>The longest key accepted: leaves room for the flow's prefix within an instance id.</summary>
    public const int MaxLength = 120;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@");

    /// <summary>F1's id for a call.</summary>
    public static string MedicalEmergencyTransfer(string callId) => "medical-" + callId;

    /// <summary>F3's id for a supervisor request on a call.</summary>
    public static string SupervisorCallback(string callId) => "callback-" + callId;

    /// <summary>F3's id for the callback F1 opens when its transfer never connected.</summary>
    public static string MedicalCallback(string callId) => "callback-medical-" + callId;

    /// <summary>F3's id for a callback requested from another channel.</summary>
    public static string ChannelCallback(string requestId) => "callback-request-" + requestId;

    /// <summary>F2's id: one escalation per service job and reason.</summary>
    public static string SeverityEscalation(string serviceJobId, string reason) => "escalation-" + serviceJobId + "-" + reason;

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
        IsValid(key) && InstanceIds.IsValid(SeverityEscalation(key!, "x"))
            ? key!
            : throw new FlowInputException($"'{field}' must be 1-{MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'.");
}
