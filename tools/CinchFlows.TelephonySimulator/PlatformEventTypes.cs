namespace CinchFlows.TelephonySimulator;

/// <summary>The CloudEvents <c>type</c> of each webhook the telephony platform sends (docs/api.md §1).</summary>
public static class PlatformEventTypes
{
    /// <summary>The agent flagged a medical emergency or high-risk situation on a live call (starts F1).</summary>
    public const string MedicalEmergencyFlagged = "com.cinch.call.medical-emergency.flagged";

    /// <summary>A warm transfer connected.</summary>
    public const string TransferConnected = "com.cinch.call.transfer.connected";

    /// <summary>A warm transfer failed.</summary>
    public const string TransferFailed = "com.cinch.call.transfer.failed";

    /// <summary>The customer asked for a supervisor (starts F3).</summary>
    public const string SupervisorRequested = "com.cinch.call.supervisor.requested";

    /// <summary>An escalation was raised on a service job (starts F2).</summary>
    public const string EscalationRaised = "com.cinch.servicejob.escalation.raised";

    /// <summary>A service job's severity changed.</summary>
    public const string SeverityChanged = "com.cinch.servicejob.severity.changed";

    /// <summary>The call ended.</summary>
    public const string CallEnded = "com.cinch.call.ended";

    /// <summary>A piece of the live transcript (the service may hint the agent; it keeps none of the text).</summary>
    public const string TranscriptSegment = "com.cinch.call.transcript.segment";
}
