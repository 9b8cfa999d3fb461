namespace CinchFlows.TelephonySimulator;

/// <summary>What the simulated platform did with one well-signed command delivery.</summary>
public enum DeliveryOutcome
{
    /// <summary>The first delivery of its idempotency key: carried out (answered 200).</summary>
    Acted,

    /// <summary>A key already acted on: answered 200, not carried out again.</summary>
    Duplicate,

    /// <summary>Answered with an injected failure (<see cref="CommandReceiver.FailNext"/>); not carried out.</summary>
    Failed,
}
