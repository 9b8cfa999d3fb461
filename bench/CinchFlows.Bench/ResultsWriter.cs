using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace CinchFlows.Bench;

/// <summary>Writes the results folder: <c>results.md</c>, <c>results.json</c> and <c>latency.png</c>.</summary>
internal static class ResultsWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The figures table as printed and written (Markdown, ready to paste into docs/performance.md).</summary>
    public static string Markdown(BenchOptions options, IReadOnlyList<RunResult> runs, DateTimeOffset startedAt)
    {
        var medians = Figures.Medians(runs);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {startedAt:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {(options.Quick ? "quick sizes (a smoke run)" : "full sizes")}, median of {runs.Count} run(s); standalone service against Azurite (in memory), all on 127.0.0.1.");
        text.AppendLine();
        text.AppendLine("| figure | measured | target | verdict | runs |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var figure in Figures.All)
        {
            var title = figure.Key == "memory" ? figure.Title.Replace("N flows", $"{options.WaitingFlows:N0} flows", StringComparison.Ordinal) : figure.Title;
            var perRun = string.Join("; ", runs.Select(r => figure.Shown(r.Values)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {title} | {figure.Shown(medians)} | {figure.Target} | {figure.Verdict(medians)} | {perRun} |");
        }

        text.AppendLine();
        text.AppendLine("Details (medians):");
        text.AppendLine();
        foreach (var (key, label) in new[]
        {
            ("ack.achievedRate", "webhooks/s actually sent in the ack phase"),
            ("ack.non202", "webhooks of the ack phase not answered 202"),
            ("timer.count", "timers measured"),
            ("stepsPerWaitingFlow", "steps per waiting flow (load phase)"),
            ("loadSeconds", "seconds from the first load webhook to the last step"),
            ("allRequestsPerStep", "storage requests per step counting every component (webhook receipts, callback tasks, storage-queue notifications)"),
            ("conflicts", "ETag conflicts"),
            ("idleEmptyPollsPerMinute", "empty polls per idle minute"),
            ("healthProbeRequests", "storage requests of one health check (taken off)"),
        })
        {
            if (medians.TryGetValue(key, out var value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {label}: {Figures.Format(value)}");
            }
        }

        foreach (var note in runs.SelectMany((r, i) => r.Notes.Select(n => $"run {i + 1}: {n}")))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        return text.ToString();
    }

    /// <summary>Writes the three files into <paramref name="folder"/>.</summary>
    public static async Task WriteAsync(string folder, BenchOptions options, IReadOnlyList<RunResult> runs, DateTimeOffset startedAt, string markdown)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), "# CinchFlows benchmark\n\n" + markdown).ConfigureAwait(false);
        var medians = Figures.Medians(runs);
        var json = new
        {
            startedAt,
            cores = Environment.ProcessorCount,
            quick = options.Quick,
            runs = runs.Count,
            waitingFlows = options.WaitingFlows,
            figures = Figures.All.Select(f => new
            {
                key = f.Key,
                title = f.Title,
                target = f.Target,
                verdict = f.Verdict(medians),
                values = f.ValueKeys.ToDictionary(k => k, k => Nullable(medians.GetValueOrDefault(k, double.NaN))),
            }),
            medians = medians.ToDictionary(p => p.Key, p => Nullable(p.Value)),
            perRun = runs.Select(r => new
            {
                values = r.Values.ToDictionary(p => p.Key, p => Nullable(p.Value)),
                notes = r.Notes,
                ackLatenciesMs = r.AckLatencies,
                transferLatenciesMs = r.TransferLatencies,
                timerLatenessMs = r.TimerLateness,
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(json, Indented)).ConfigureAwait(false);
        Chart(Path.Combine(folder, "latency.png"), runs);
    }

    private static double? Nullable(double value) => double.IsNaN(value) || double.IsInfinity(value) ? null : Math.Round(value, 3);

    // Percentile curves of the three latencies (all runs pooled) on a log scale, with each target as a dashed line.
    private static void Chart(string path, IReadOnlyList<RunResult> runs)
    {
        var plot = new Plot();
        var series = new (string Label, List<double> Samples, double Target, Color Color)[]
        {
            ("webhook ack at 100/s", [.. runs.SelectMany(r => r.AckLatencies)], 25, Colors.Blue),
            ("webhook → warm transfer", [.. runs.SelectMany(r => r.TransferLatencies)], 300, Colors.Green),
            ("timer lateness", [.. runs.SelectMany(r => r.TimerLateness)], 1000, Colors.Red),
        };
        foreach (var (label, samples, target, color) in series)
        {
            if (samples.Count == 0)
            {
                continue;
            }

            var sorted = samples.Order().ToArray();
            var xs = Enumerable.Range(1, sorted.Length).Select(i => 100.0 * i / sorted.Length).ToArray();
            var ys = sorted.Select(v => Math.Log10(Math.Max(v, 0.1))).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = $"{label} (n={sorted.Length})";
            var targetLine = plot.Add.HorizontalLine(Math.Log10(target));
            targetLine.Color = color;
            targetLine.LinePattern = LinePattern.Dashed;
            targetLine.LineWidth = 1;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.#", CultureInfo.InvariantCulture),
        };
        plot.Title("CinchFlows latencies (dashed: targets)");
        plot.XLabel("percentile");
        plot.YLabel("milliseconds (log scale)");
        plot.Axes.SetLimitsX(0, 100);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 600);
    }
}
