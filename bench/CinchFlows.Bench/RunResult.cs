namespace CinchFlows.Bench;

/// <summary>What one run measured of one build: named values (see <see cref="Figures"/>) and the samples behind them.</summary>
internal sealed class RunResult(string build, int run)
{
    /// <summary>The build measured (<see cref="BuildUnderTest.Label"/>).</summary>
    public string Build { get; } = build;

    /// <summary>The run's number (1-based); each run measures every build once.</summary>
    public int Run { get; } = run;

    /// <summary>Measured values by key, e.g. <c>ack.p99</c> in milliseconds.</summary>
    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Webhook acknowledgement latencies at the target rate, ms.</summary>
    public List<double> AckLatencies { get; } = [];

    /// <summary>Medical-emergency webhook → warm-transfer command received, ms.</summary>
    public List<double> TransferLatencies { get; } = [];

    /// <summary>How late durable timers fired, ms.</summary>
    public List<double> TimerLateness { get; } = [];

    /// <summary>The load phase's samples (seconds since the phase started, steps, activities, notices), for a plot of the rate.</summary>
    public List<StepSample> LoadSamples { get; } = [];

    /// <summary>Storage requests by kind in each window measured (idle minute, transfer flows, load), for the breakdown of a miss.</summary>
    public Dictionary<string, IReadOnlyList<KeyValuePair<string, long>>> RequestKinds { get; } = new(StringComparer.Ordinal);

    /// <summary>Notes on what the run saw (errors, counts).</summary>
    public List<string> Notes { get; } = [];
}
