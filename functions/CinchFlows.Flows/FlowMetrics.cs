using System.Diagnostics.Metrics;

namespace CinchFlows.Flows;

/// <summary>
/// What ops watch about the flows themselves, on the <c>CinchFlows.Flows</c> meter: seconds to connect a
/// medical-emergency transfer, how long callbacks wait for a claim, SLA breaches, hints sent by protocol and flags a hint came before. Orchestrations record only when
/// not replaying, so a replay never counts twice.
/// </summary>
public static class FlowMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "CinchFlows.Flows";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> ConnectSeconds = Meter.CreateHistogram<double>(
        "cinchflows.medical_transfer.connect_time", "s", "From the medical-emergency flag to \"transfer connected\" (F1).");

    private static readonly Histogram<double> ClaimSeconds = Meter.CreateHistogram<double>(
        "cinchflows.callback.claim_time", "s", "From a Call Back Task's creation to its first claim.");

    private static readonly Counter<long> Breaches = Meter.CreateCounter<long>(
        "cinchflows.sla.breaches", "{breach}", "SLA breaches, by kind: callback-claim, callback-completion, escalation-acknowledgement.");

    private static readonly Counter<long> Hints = Meter.CreateCounter<long>(
        "cinchflows.hints.sent", "{hint}", "Live-transcript hints sent to agents (agent.hint), by protocol.");

    private static readonly Counter<long> Flags = Meter.CreateCounter<long>(
        "cinchflows.medical_flags", "{flag}", "Medical emergencies flagged (F1 starts), by whether a medical hint came first.");

    /// <summary>A live-transcript hint was sent to an agent.</summary>
    public static void HintSent(string protocol) => Hints.Add(1, new KeyValuePair<string, object?>("protocol", protocol));

    /// <summary>F1 started for a flagged call; <paramref name="hintedFirst"/> says whether a medical hint came before the flag.</summary>
    public static void MedicalFlagged(bool hintedFirst) => Flags.Add(1, new KeyValuePair<string, object?>("hinted_first", hintedFirst));

    /// <summary>A medical-emergency transfer connected after <paramref name="seconds"/>.</summary>
    public static void TransferConnected(double seconds, string scenario) =>
        ConnectSeconds.Record(seconds, new KeyValuePair<string, object?>("scenario", scenario));

    /// <summary>A callback was first claimed <paramref name="waited"/> after it was opened.</summary>
    public static void CallbackClaimed(TimeSpan waited, string priority) =>
        ClaimSeconds.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("priority", priority));

    /// <summary>An SLA was missed.</summary>
    public static void SlaBreached(string kind) => Breaches.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
