namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>The two procedures of the Medical Transfer Process.</summary>
public enum TransferScenario
{
    /// <summary>Scenario 1: the customer needs service.</summary>
    NeedsService,

    /// <summary>Scenario 2: a service request is already in progress; its severity must become Medical Emergency.</summary>
    ServiceRequestInProgress,
}
