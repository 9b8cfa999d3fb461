using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>The issue's figures, their goals, and how each is read from the runs' values.</summary>
internal static class Figures
{
    /// <summary>Every figure, in the issue's order.</summary>
    public static IReadOnlyList<FigureDefinition> All { get; } =
    [
        new("ack", "Webhook ack latency at 100 req/s (p50 / p99)", "p99 ≤ 25 ms and ≤ the baseline's", ["ack.p50", "ack.p99"], "ms",
            (v, b) => v[1] <= 25 && (b is null || v[1] <= b[1]), [BenchPhases.Ack]),
        new("transfer", "Medical-emergency webhook → warm-transfer command received (p50 / p99)", "p99 ≤ 1 s", ["transfer.p50", "transfer.p99"], "ms",
            (v, _) => v[1] <= 1000, [BenchPhases.Transfer]),
        new("timer", "Timer/timeout lateness (p50 / p99)", "p99 ≤ 1 s", ["timer.p50", "timer.p99"], "ms", (v, _) => v[1] <= 1000, [BenchPhases.Timers]),
        new("requestsPerF1Flow", "Storage requests per finished medical-emergency (F1) flow", "≤ 1.5 × the baseline's", ["requestsPerF1Flow"], "",
            (v, b) => v[0] <= 1.5 * b![0], [BenchPhases.Transfer], NeedsBaseline: true),
        new("throughput", "Flows/s at capacity, raw Azurite batch transactions/s, ratio", "ratio ≥ the baseline's", ["flowsPerSecond", "rawBatchesPerSecond", "flowsRatio"], "",
            (v, b) => v[2] >= b![2], [BenchPhases.Raw, BenchPhases.Load], NeedsBaseline: true),
        new("idle", "Storage requests per idle minute per worker", "≤ 120", ["idleRequestsPerMinute"], "/min", (v, _) => v[0] <= 120, [BenchPhases.Idle]),
        new("memory", "Worker memory (RSS) with N flows waiting on timers or events", "≤ 300 MB", ["rssMb"], "MB", (v, _) => v[0] <= 300, [BenchPhases.Load]),
    ];

    /// <summary>The value of every key over the runs of one build: the median.</summary>
    public static Dictionary<string, double> Medians(IEnumerable<RunResult> runs)
    {
        var list = runs.ToList();
        return list.SelectMany(r => r.Values.Keys).Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, k => Percentiles.Median([.. list.Select(r => r.Values.TryGetValue(k, out var v) ? v : double.NaN)]), StringComparer.Ordinal);
    }

    /// <summary>Formats one value for a table.</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) is > 0 and < 0.1 ? value.ToString("0.####", CultureInfo.InvariantCulture) // a flows ÷ raw ratio is about 0.002
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>This ÷ baseline as "3.9×"; n/a when either is not a number or not positive (an early timer's negative lateness has no ratio).</summary>
    public static string FormatRatio(double value, double baseline) =>
        double.IsNaN(value) || double.IsNaN(baseline) || baseline <= 0 || value < 0 ? "n/a" : (value / baseline).ToString("0.##", CultureInfo.InvariantCulture) + "×";
}
