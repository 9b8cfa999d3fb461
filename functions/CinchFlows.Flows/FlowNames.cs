namespace CinchFlows.Flows;

/// <summary>The flows' orchestration names: part of the wire contract (docs/api.md §5, §7), so fixed here rather than taken from class names.</summary>
public static class FlowNames
{
    /// <summary>F1: medical emergency warm transfer.</summary>
    public const string MedicalEmergencyTransfer = nameof(MedicalEmergencyTransfer);

    /// <summary>F2: severity escalation.</summary>
    public const string SeverityEscalation = nameof(SeverityEscalation);

    /// <summary>F3: supervisor callback.</summary>
    public const string SupervisorCallback = nameof(SupervisorCallback);
}
