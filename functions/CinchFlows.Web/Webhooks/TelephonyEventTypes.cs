namespace CinchFlows.Web.Webhooks;

/// <summary>The CloudEvents <c>type</c> values the telephony webhook accepts (docs/api.md §1).</summary>
internal static class TelephonyEventTypes
{
    /// <summary>The agent flagged a Medical Emergency or High-Risk Situation: starts F1.</summary>
    public const string MedicalEmergencyFlagged = "com.cinch.call.medical-emergency.flagged";

    /// <summary>A warm transfer connected: an event to the flows of the call.</summary>
    public const string TransferConnected = "com.cinch.call.transfer.connected";

    /// <summary>A warm transfer failed: an event to the flows of the call.</summary>
    public const string TransferFailed = "com.cinch.call.transfer.failed";

    /// <summary>The customer asked for a supervisor: starts F3.</summary>
    public const string SupervisorRequested = "com.cinch.call.supervisor.requested";

    /// <summary>An escalation was raised on a service job: starts F2.</summary>
    public const string EscalationRaised = "com.cinch.servicejob.escalation.raised";

    /// <summary>A service job's severity changed: an event to the job's F2.</summary>
    public const string SeverityChanged = "com.cinch.servicejob.severity.changed";

    /// <summary>The call ended: an event to the flows of the call.</summary>
    public const string CallEnded = "com.cinch.call.ended";

    /// <summary>A piece of the live transcript: matched in memory for hints to the agent, never stored.</summary>
    public const string TranscriptSegment = "com.cinch.call.transcript.segment";

    /// <summary>Every accepted type, for error messages.</summary>
    public static IReadOnlyList<string> All { get; } =
        [MedicalEmergencyFlagged, TransferConnected, TransferFailed, SupervisorRequested, EscalationRaised, SeverityChanged, CallEnded, TranscriptSegment];
}
