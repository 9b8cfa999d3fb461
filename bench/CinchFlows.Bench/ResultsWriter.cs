using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace CinchFlows.Bench;

/// <summary>Writes the results folder: <c>results.md</c>, <c>results.json</c> and <c>latency.png</c> (when a latency phase ran).</summary>
internal static class ResultsWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The figures table as printed and written (Markdown, ready to paste into docs/performance.md).</summary>
    public static string Markdown(BenchOptions options, IReadOnlyList<RunResult> runs, DateTimeOffset startedAt)
    {
        var medians = Figures.Medians(runs);
        var text = new StringBuilder();
        var phases = options.Phases.Count == BenchOptions.AllPhases.Count ? "all phases" : $"phases {string.Join(", ", options.Phases)} only";
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {startedAt:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {(options.Quick ? "quick sizes (a smoke run)" : "full sizes")}, {phases}, median of {runs.Count} run(s); standalone service against Azurite (in memory), all on 127.0.0.1.");
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
            ("loadSeconds", "seconds of the load phase's backlog window (its first step to its last)"),
            ("load.sendSeconds", "seconds the load phase took to send its webhooks"),
            ("load.flowsPerSecondSent", $"load webhooks answered per second ({options.LoadConcurrency} in flight)"),
            ("load.drainShare", "share of the load phase's steps committed in the drain (the backlog the sending left)"),
            ("load.drainSeconds", "seconds of the drain (the last load webhook's answer to the last step), over which steps/s is taken"),
            ("load.windowStepsPerSecond", "steps/s over the whole backlog window, the webhooks' intake included"),
            ("load.peakStepsPerSecond", $"best steps/s over {LoadWindow.PeakSpan.TotalSeconds:0} s in the load phase"),
            ("load.emptyPolls", "work-queue polls that found nothing during the load phase's backlog window"),
            ("load.non202", "webhooks of the load phase not answered 202"),
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

        var perStep = Figures.All.Single(f => f.Key == "requestsPerStep");
        var covered = perStep.MeasuredIn(options.Phases)
            ? $"- storage requests per step cover the steps of the flow phases run: {string.Join(", ", perStep.PhasesIn(options.Phases))}"
            : $"- storage requests per step: {FigureDefinition.NotMeasured} (none of the flow phases, {string.Join(", ", BenchOptions.FlowPhases)}, ran)";
        text.AppendLine(covered);
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
            loadConcurrency = options.LoadConcurrency,
            rawConcurrency = options.RawConcurrency,
            phases = options.Phases,
            figures = Figures.All.Select(f => new
            {
                key = f.Key,
                title = f.Title,
                target = f.Target,
                measured = f.Verdict(medians) != FigureDefinition.NotMeasured,
                verdict = f.Verdict(medians),
                phases = f.PhasesIn(options.Phases),
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
                loadSamples = r.LoadSamples.Select(x => new { seconds = Math.Round(x.At.TotalSeconds, 3), steps = x.Steps, emptyPolls = x.EmptyPolls }),
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(json, Indented)).ConfigureAwait(false);
        if (runs.Any(r => r.AckLatencies.Count + r.TransferLatencies.Count + r.TimerLateness.Count > 0))
        {
            Chart(Path.Combine(folder, "latency.png"), runs);
        }
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
