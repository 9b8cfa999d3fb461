namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>What the simulated platform and people do with one flow, and so the end it must reach.</summary>
internal enum Driving
{
    /// <summary>F1; the platform answers the warm transfer: Connected.</summary>
    TransferAnswered,

    /// <summary>F1; the platform reports every transfer failed: NotConnected, then its callback breaches on timers.</summary>
    TransferFailed,

    /// <summary>F2; a lead acknowledges it: acknowledgedBy.</summary>
    EscalationAcknowledged,

    /// <summary>F2; nobody acknowledges: every tier and ops told on timers, ends unacknowledged.</summary>
    EscalationIgnored,

    /// <summary>F3; a supervisor claims and completes the callback: Completed.</summary>
    CallbackCompleted,

    /// <summary>F3; nobody claims it: reminders, tiers, breach on timers: Breached.</summary>
    CallbackIgnored,
}
