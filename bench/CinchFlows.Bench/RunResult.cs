namespace CinchFlows.Bench;

/// <summary>What one run measured: named values (see <see cref="Figures"/>) and the latency samples behind them.</summary>
internal sealed class RunResult
{
    /// <summary>Measured values by key, e.g. <c>ack.p99</c> in milliseconds.</summary>
    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Webhook acknowledgement latencies at the target rate, ms.</summary>
    public List<double> AckLatencies { get; } = [];

    /// <summary>Medical-emergency webhook → warm-transfer command received, ms.</summary>
    public List<double> TransferLatencies { get; } = [];

    /// <summary>How late durable timers fired, ms.</summary>
    public List<double> TimerLateness { get; } = [];

    /// <summary>The load phase's step samples (seconds since the phase started, steps, empty polls), for a plot of the rate.</summary>
    public List<StepSample> LoadSamples { get; } = [];

    /// <summary>Notes on what the run saw (errors, counts).</summary>
    public List<string> Notes { get; } = [];
}
