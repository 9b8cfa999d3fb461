namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>Whether a warm transfer reached its target.</summary>
public enum TransferOutcome
{
    /// <summary>The platform reported "transfer connected".</summary>
    Connected,

    /// <summary>Every attempt timed out or failed, or the call ended first.</summary>
    NotConnected,
}
