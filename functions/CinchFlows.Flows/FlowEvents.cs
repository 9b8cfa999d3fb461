namespace CinchFlows.Flows;

/// <summary>Names of the external events the flows wait for (raise them through the management API with these names).</summary>
public static class FlowEvents
{
    /// <summary>A warm transfer connected; payload <see cref="Telephony.TransferConnected"/>.</summary>
    public const string TransferConnected = nameof(TransferConnected);

    /// <summary>A warm transfer failed; payload <see cref="Telephony.TransferFailed"/>.</summary>
    public const string TransferFailed = nameof(TransferFailed);

    /// <summary>The call ended; payload <see cref="Telephony.CallEnded"/>.</summary>
    public const string CallEnded = nameof(CallEnded);

    /// <summary>The service job's severity changed; payload <see cref="SeverityEscalation.SeverityChanged"/>.</summary>
    public const string SeverityChanged = nameof(SeverityChanged);

    /// <summary>The escalation group acknowledged; payload <see cref="SeverityEscalation.EscalationAcknowledgement"/>.</summary>
    public const string EscalationAcknowledged = nameof(EscalationAcknowledged);

    /// <summary>A supervisor claimed the callback; payload <see cref="Callbacks.CallbackClaim"/>.</summary>
    public const string CallbackClaimed = nameof(CallbackClaimed);

    /// <summary>The supervisor completed the callback; payload <see cref="Callbacks.CallbackCompletion"/>.</summary>
    public const string CallbackCompleted = nameof(CallbackCompleted);
}
