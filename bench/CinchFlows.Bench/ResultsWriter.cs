using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace CinchFlows.Bench;

/// <summary>Writes the results folder: <c>results.md</c>, <c>results.json</c> and <c>latency.png</c> (when a latency phase ran).</summary>
internal static class ResultsWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The request windows whose breakdown by kind the results give, with what one unit of each is.</summary>
    private static readonly (string Window, string Per, Func<BenchOptions, double> Units)[] KindWindows =
    [
        ("transfer", "per medical-emergency (F1) flow", o => o.TransferSamples),
        ("idle", "per idle minute", _ => 1),
        ("load", "per waiting flow (load phase)", o => o.WaitingFlows),
    ];

    /// <summary>The figures table as printed and written (Markdown, ready to paste into docs/performance.md).</summary>
    public static string Markdown(BenchOptions options, IReadOnlyList<RunResult> runs, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runs);
        var current = Figures.Medians(runs.Where(r => r.Build == BuildUnderTest.ThisBuild));
        var baseline = options.BaselinePath is null ? null : Figures.Medians(runs.Where(r => r.Build == options.BaselineLabel));
        var perBuild = runs.Count(r => r.Build == BuildUnderTest.ThisBuild);
        var text = new StringBuilder();
        var phases = options.Phases.Count == BenchOptions.AllPhases.Count ? "all phases" : $"phases {string.Join(", ", options.Phases)} only";
        var builds = baseline is null
            ? "this build only"
            : $"{options.BaselineLabel} ({options.BaselinePath}) and this build, alternately, each against its own fresh Azurite";
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {startedAt:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {(options.Quick ? "quick sizes (a smoke run)" : "full sizes")}, {phases}, {options.WaitingFlows:N0} waiting flows, median of {perBuild} run(s) per build; {builds}; standalone service against Azurite (in memory), all on 127.0.0.1.");
        text.AppendLine();
        if (baseline is null)
        {
            text.AppendLine("| figure | this build | goal | verdict |");
            text.AppendLine("|---|---|---|---|");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| figure | {options.BaselineLabel} | this build | this ÷ {options.BaselineLabel} | goal | verdict |");
            text.AppendLine("|---|---|---|---|---|---|");
        }

        foreach (var figure in Figures.All)
        {
            var title = Title(figure, options);
            text.AppendLine(baseline is null
                ? $"| {title} | {figure.Shown(current)} | {figure.Goal} | {figure.Verdict(current, null)} |"
                : $"| {title} | {figure.Shown(baseline)} | {figure.Shown(current)} | {figure.Ratio(current, baseline)} | {figure.Goal} | {figure.Verdict(current, baseline)} |");
        }

        text.AppendLine();
        text.AppendLine("Each run:");
        text.AppendLine();
        text.AppendLine("| figure | " + string.Join(" | ", runs.Select(r => $"run {r.Run}, {r.Build}")) + " |");
        text.AppendLine("|---|" + string.Concat(runs.Select(_ => "---|")));
        foreach (var figure in Figures.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Title(figure, options)} | {string.Join(" | ", runs.Select(r => figure.Shown(r.Values)))} |");
        }

        text.AppendLine();
        text.AppendLine(baseline is null ? "Details (medians):" : $"Details (medians; {options.BaselineLabel} → this build):");
        text.AppendLine();
        foreach (var (key, label) in new[]
        {
            ("transfer.afterIdle", $"webhook → warm transfer after {options.AfterIdlePause.TotalSeconds:0} s quiet, median of {options.AfterIdleSamples} (ms)"),
            ("transfer.afterIdleMax", "the same, the slowest (ms)"),
            ("ack.achievedRate", "webhooks/s actually sent in the ack phase"),
            ("ack.non202", "webhooks of the ack phase not answered 202"),
            ("timer.count", "timers measured"),
            ("load.seconds", "seconds from the load phase's first webhook to its last flow's first notice"),
            ("load.sendSeconds", "seconds the load phase took to send its webhooks"),
            ("load.flowsPerSecondSent", $"load webhooks answered per second ({options.LoadConcurrency} in flight{(options.LoadPaceText is { } pace ? $", {pace}" : "")})"),
            ("load.notices", "first notices the load phase's flows sent"),
            ("load.requestsPerFlow", "storage requests per waiting flow (load phase, until quiet)"),
            ("load.non202", "webhooks of the load phase not answered 202"),
            ("healthProbeRequests", "storage requests of one health check (taken off the windows that had health checks)"),
            ("health503", "health checks answered 503"),
        })
        {
            if (current.TryGetValue(key, out var value))
            {
                var before = baseline is not null && baseline.TryGetValue(key, out var b) ? $"{Figures.Format(b)} → " : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"- {label}: {before}{Figures.Format(value)}");
            }
        }

        foreach (var (window, per, units) in KindWindows)
        {
            foreach (var build in runs.Select(r => r.Build).Distinct(StringComparer.Ordinal))
            {
                var kinds = KindsPerUnit(runs.Where(r => r.Build == build).ToList(), window, units(options));
                if (kinds.Count > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- storage requests {per}, {build}, by kind (mean of runs): {string.Join(", ", kinds.Take(10).Select(k => $"{k.Key} {Figures.Format(k.Value)}"))}");
                }
            }
        }

        foreach (var run in runs)
        {
            foreach (var note in run.Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- run {run.Run}, {run.Build}: {note}");
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the three files into <paramref name="folder"/>.</summary>
    public static async Task WriteAsync(string folder, BenchOptions options, IReadOnlyList<RunResult> runs, DateTimeOffset startedAt, string markdown)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runs);
        await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), "# CinchFlows benchmark\n\n" + markdown).ConfigureAwait(false);
        var current = Figures.Medians(runs.Where(r => r.Build == BuildUnderTest.ThisBuild));
        var baseline = options.BaselinePath is null ? null : Figures.Medians(runs.Where(r => r.Build == options.BaselineLabel));
        var json = new
        {
            startedAt,
            cores = Environment.ProcessorCount,
            quick = options.Quick,
            runs = runs.Count(r => r.Build == BuildUnderTest.ThisBuild),
            builds = options.BuildsFor(1, "this build's CinchFlows.Standalone.dll").Select(b => new { label = b.Label, isBaseline = b.IsBaseline, settings = b.Settings }),
            baseline = options.BaselinePath is null ? null : new { label = options.BaselineLabel, dll = options.BaselinePath },
            waitingFlows = options.WaitingFlows,
            loadConcurrency = options.LoadConcurrency,
            loadPace = options.LoadPace,
            rawConcurrency = options.RawConcurrency,
            phases = options.Phases,
            figures = Figures.All.Select(f => new
            {
                key = f.Key,
                title = f.Title,
                goal = f.Goal,
                measured = f.Verdict(current, baseline) != FigureDefinition.NotMeasured,
                verdict = f.Verdict(current, baseline),
                phases = f.PhasesIn(options.Phases),
                values = f.ValueKeys.ToDictionary(k => k, k => Nullable(current.GetValueOrDefault(k, double.NaN))),
                baselineValues = baseline is null ? null : f.ValueKeys.ToDictionary(k => k, k => Nullable(baseline.GetValueOrDefault(k, double.NaN))),
                ratios = baseline is null ? null : f.ValueKeys.ToDictionary(k => k, k => Nullable(Ratio(current.GetValueOrDefault(k, double.NaN), baseline.GetValueOrDefault(k, double.NaN)))),
            }),
            medians = current.ToDictionary(p => p.Key, p => Nullable(p.Value)),
            baselineMedians = baseline?.ToDictionary(p => p.Key, p => Nullable(p.Value)),
            perRun = runs.Select(r => new
            {
                run = r.Run,
                build = r.Build,
                values = r.Values.ToDictionary(p => p.Key, p => Nullable(p.Value)),
                notes = r.Notes,
                requestKinds = r.RequestKinds.ToDictionary(p => p.Key, p => p.Value.ToDictionary(k => k.Key, k => k.Value)),
                ackLatenciesMs = r.AckLatencies,
                transferLatenciesMs = r.TransferLatencies,
                timerLatenessMs = r.TimerLateness,
                loadSamples = r.LoadSamples.Select(x => new { seconds = Math.Round(x.At.TotalSeconds, 3), steps = x.Steps, activities = x.Activities, notices = x.Notices }),
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(json, Indented)).ConfigureAwait(false);
        if (runs.Any(r => r.AckLatencies.Count + r.TransferLatencies.Count + r.TimerLateness.Count > 0))
        {
            Chart(Path.Combine(folder, "latency.png"), runs);
        }
    }

    private static string Title(FigureDefinition figure, BenchOptions options) =>
        figure.Key == "memory" ? figure.Title.Replace("N flows", $"{options.WaitingFlows:N0} flows", StringComparison.Ordinal) : figure.Title;

    // Requests of one window by kind, per unit (flow or minute), averaged over the runs that measured it.
    private static List<KeyValuePair<string, double>> KindsPerUnit(IReadOnlyList<RunResult> runs, string window, double units)
    {
        var measured = runs.Where(r => r.RequestKinds.ContainsKey(window)).ToList();
        if (measured.Count == 0)
        {
            return [];
        }

        return [.. measured.SelectMany(r => r.RequestKinds[window])
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.Sum(p => p.Value) / (double)measured.Count / units))
            .OrderByDescending(p => p.Value)];
    }

    private static double Ratio(double value, double baseline) => baseline <= 0 || value < 0 ? double.NaN : value / baseline;

    private static double? Nullable(double value) => double.IsNaN(value) || double.IsInfinity(value) ? null : Math.Round(value, 3);

    // Percentile curves of the three latencies (all runs of a build pooled) on a log scale, the baseline dotted, with
    // each goal as a dashed line.
    private static void Chart(string path, IReadOnlyList<RunResult> runs)
    {
        var plot = new Plot();
        var series = new (string Label, Func<RunResult, List<double>> Samples, double Goal, Color Color)[]
        {
            ("webhook ack at 100/s", r => r.AckLatencies, 25, Colors.Blue),
            ("webhook → warm transfer", r => r.TransferLatencies, 1000, Colors.Green),
            ("timer lateness", r => r.TimerLateness, 1000, Colors.Red),
        };
        var builds = runs.Select(r => r.Build).Distinct(StringComparer.Ordinal).OrderBy(b => b == BuildUnderTest.ThisBuild).ToList();
        foreach (var (label, samplesOf, goal, color) in series)
        {
            var drawn = false;
            foreach (var build in builds)
            {
                var sorted = runs.Where(r => r.Build == build).SelectMany(samplesOf).Order().ToArray();
                if (sorted.Length == 0)
                {
                    continue;
                }

                drawn = true;
                var xs = Enumerable.Range(1, sorted.Length).Select(i => 100.0 * i / sorted.Length).ToArray();
                var ys = sorted.Select(v => Math.Log10(Math.Max(v, 0.1))).ToArray();
                var line = plot.Add.ScatterLine(xs, ys);
                line.Color = color;
                line.LineWidth = 2;
                line.LinePattern = build == BuildUnderTest.ThisBuild ? LinePattern.Solid : LinePattern.Dotted;
                line.LegendText = $"{label}, {build} (n={sorted.Length})";
            }

            if (drawn)
            {
                var goalLine = plot.Add.HorizontalLine(Math.Log10(goal));
                goalLine.Color = color;
                goalLine.LinePattern = LinePattern.Dashed;
                goalLine.LineWidth = 1;
            }
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.#", CultureInfo.InvariantCulture),
        };
        plot.Title(builds.Count > 1 ? "CinchFlows latencies (solid: this build, dotted: baseline; dashed: goals)" : "CinchFlows latencies (dashed: goals)");
        plot.XLabel("percentile");
        plot.YLabel("ms (log scale; early timers at 0.1)");
        plot.Axes.SetLimitsX(0, 100);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 600);
    }
}
