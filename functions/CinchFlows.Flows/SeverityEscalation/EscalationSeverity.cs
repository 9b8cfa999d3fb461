namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>A service job's severity; higher severity means a shorter acknowledgement SLA.</summary>
public enum EscalationSeverity
{
    /// <summary>The usual complaint.</summary>
    Normal,

    /// <summary>Needs attention today.</summary>
    High,

    /// <summary>Needs attention within the hour.</summary>
    Critical,

    /// <summary>A Medical Emergency or High-Risk Situation: a Claims Specialist manages the job.</summary>
    MedicalEmergency,
}
