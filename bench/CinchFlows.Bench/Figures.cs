using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>The issue's figures, their targets, and how each is read from the runs' values.</summary>
internal static class Figures
{
    /// <summary>Every figure, in the issue's order.</summary>
    public static IReadOnlyList<FigureDefinition> All { get; } =
    [
        new("ack", "Webhook ack latency at 100 req/s (p50 / p99)", "p99 ≤ 25 ms", ["ack.p50", "ack.p99"], "ms", v => v[1] <= 25, [BenchPhases.Ack]),
        new("transfer", "Medical-emergency webhook → warm-transfer command received (p50 / p99)", "p99 ≤ 300 ms", ["transfer.p50", "transfer.p99"], "ms", v => v[1] <= 300, [BenchPhases.Transfer]),
        new("timer", "Timer/timeout lateness (p50 / p99)", "p99 ≤ 1 s", ["timer.p50", "timer.p99"], "ms", v => v[1] <= 1000, [BenchPhases.Timers]),
        new("requestsPerStep", "Storage requests per orchestration step", "≤ 3", ["requestsPerStep"], "", v => v[0] <= 3, BenchOptions.FlowPhases, AnyPhase: true),
        new("throughput", "Orchestration steps/s at capacity, raw Azurite batch transactions/s, ratio", "ratio ≥ 0.5", ["stepsPerSecond", "rawBatchesPerSecond", "ratio"], "", v => v[2] >= 0.5, [BenchPhases.Raw, BenchPhases.Load]),
        new("idle", "Storage requests per idle minute per worker", "≤ 60", ["idleRequestsPerMinute"], "/min", v => v[0] <= 60, [BenchPhases.Idle]),
        new("memory", "Worker memory (RSS) with N flows waiting on timers or events", "≤ 300 MB", ["rssMb"], "MB", v => v[0] <= 300, [BenchPhases.Load]),
    ];

    /// <summary>The value of every key over the runs: the median.</summary>
    public static Dictionary<string, double> Medians(IReadOnlyList<RunResult> runs) =>
        runs.SelectMany(r => r.Values.Keys).Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, k => Percentiles.Median([.. runs.Select(r => r.Values.TryGetValue(k, out var v) ? v : double.NaN)]), StringComparer.Ordinal);

    /// <summary>Formats one value for a table.</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a" : value >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
