namespace CinchFlows.Bench;

/// <summary>The names of a run's phases, as <c>--phases</c> takes them (docs/performance.md, Method).</summary>
internal static class BenchPhases
{
    /// <summary>Storage requests of the idle worker.</summary>
    public const string Idle = "idle";

    /// <summary>Medical-emergency webhook → warm-transfer command latency.</summary>
    public const string Transfer = "transfer";

    /// <summary>Timer lateness (the connect timeout).</summary>
    public const string Timers = "timers";

    /// <summary>Webhook acknowledgement latency at 100/s.</summary>
    public const string Ack = "ack";

    /// <summary>The raw Azurite batch-transaction rate.</summary>
    public const string Raw = "raw";

    /// <summary>Flows left waiting: flows/s at capacity, and memory.</summary>
    public const string Load = "load";
}
