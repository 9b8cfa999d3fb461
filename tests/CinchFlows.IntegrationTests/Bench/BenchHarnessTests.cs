using System.Text.Json.Nodes;
using CinchFlows.Bench;
using CinchFlows.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Bench;

/// <summary>
/// The benchmark harness at tiny sizes: it starts its own Azurite and the built service, measures every figure and writes
/// the results folder. Timing targets are not asserted here (they belong to the benchmark, not to a test that could flake).
/// </summary>
[Collection(AzuriteCollection.Name)] // The fixture has installed the pinned Azurite (npm ci) the harness starts.
public sealed class BenchHarnessTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly string[] Verdicts = ["PASS", "MISS"];

    [Fact]
    public async Task A_tiny_side_by_side_run_measures_both_builds_and_writes_markdown_json_and_a_chart_with_every_figure()
    {
        var folder = Directory.CreateTempSubdirectory("cinchflows-bench-test-").FullName;
        try
        {
            // The same build stands in for the baseline: what is tested is that both are measured, alternately, and compared.
            var (markdown, json) = await RunAsync(TinyOptions(folder) with { BaselinePath = ServiceDll(), BaselineLabel = "stand-in" });

            var figures = json["figures"]!.AsArray();
            Assert.Equal(Figures.All.Select(f => f.Key), figures.Select(f => f!["key"]!.GetValue<string>()));
            foreach (var figure in figures)
            {
                Assert.Contains(figure!["verdict"]!.GetValue<string>(), Verdicts);
                Assert.True(figure["measured"]!.GetValue<bool>(), $"{figure["key"]} is not measured");

                // A timer may be acted on up to about a second early on this backend (docs/engine.md: its queue message
                // becomes visible in whole seconds; measured here with 2 s timers: 0.93-0.97 s early), so its lateness may
                // be negative, never by a second or more. Every other figure is a count, a size or a duration.
                var isTimer = figure["key"]!.GetValue<string>() == "timer";
                foreach (var values in new[] { "values", "baselineValues" })
                {
                    Assert.All(figure[values]!.AsObject(), v => Assert.True(
                        v.Value is not null && (isTimer ? v.Value.GetValue<double>() > -1000 : v.Value.GetValue<double>() >= 0),
                        $"{figure["key"]}: {values}.{v.Key} = {v.Value}"));
                }

                Assert.Equal(figure["values"]!.AsObject().Select(v => v.Key), figure["ratios"]!.AsObject().Select(v => v.Key));
                if (!isTimer)
                {
                    Assert.All(figure["ratios"]!.AsObject(), r => Assert.True(r.Value is not null && r.Value.GetValue<double>() > 0, $"{figure["key"]}: ratio {r.Key} = {r.Value}"));
                }
                Assert.Contains(figure["title"]!.GetValue<string>().Split(" N ")[0], markdown, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(FigureDefinition.NotMeasured, markdown, StringComparison.Ordinal);
            Assert.Contains("| figure | stand-in | this build | this ÷ stand-in | goal | verdict |", markdown, StringComparison.Ordinal);
            Assert.Contains("| figure | run 1, stand-in | run 1, this build |", markdown, StringComparison.Ordinal);

            // One run, both builds, the baseline first (odd run), each with its own storage requests counted at Azurite.
            var perRun = json["perRun"]!.AsArray();
            Assert.Equal(["stand-in", "this build"], perRun.Select(r => r!["build"]!.GetValue<string>()));
            foreach (var run in perRun)
            {
                Assert.True(run!["values"]!["requestsPerF1Flow"]!.GetValue<double>() > 0, "no storage request counted per F1 flow");
                Assert.True(run["values"]!["idleRequestsPerMinute"]!.GetValue<double>() > 0, "an idle worker that never polls");
                Assert.True(run["values"]!["transfer.afterIdle"]!.GetValue<double>() > 0, "no transfer after quiet");
                Assert.Contains("POST escalations/messages", run["requestKinds"]!["load"]!.AsObject().Select(k => k.Key));
                var samples = run["loadSamples"]!.AsArray();
                Assert.True(samples[^1]!["notices"]!.GetValue<long>() - samples[0]!["notices"]!.GetValue<long>() >= 100, "the load phase's notices were not counted");
            }

            Assert.Equal("stand-in", json["baseline"]!["label"]!.GetValue<string>());
            Assert.Contains("storage requests per medical-emergency (F1) flow, stand-in, by kind", markdown, StringComparison.Ordinal);
            var png = await File.ReadAllBytesAsync(Path.Combine(folder, "latency.png"));
            Assert.True(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "latency.png is not a PNG");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_of_some_phases_reports_the_others_as_not_measured_and_relative_goals_as_needing_a_baseline()
    {
        var folder = Directory.CreateTempSubdirectory("cinchflows-bench-test-").FullName;
        try
        {
            // Paced, so that path runs too: each webhook waits until fewer than 8 flows before it have not begun.
            var options = TinyOptions(folder) with { Phases = [BenchPhases.Raw, BenchPhases.Load], LoadPace = 8 };

            var (markdown, json) = await RunAsync(options);
            Assert.Contains("the load phase was paced (--load-pace 8)", markdown, StringComparison.Ordinal);
            Assert.Equal(options.WaitingFlows, json["perRun"]![0]!["values"]!["load.notices"]!.GetValue<double>());

            Assert.Equal(["raw", "load"], json["phases"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.Null(json["baseline"]);
            var figures = json["figures"]!.AsArray().ToDictionary(f => f!["key"]!.GetValue<string>(), f => f!);
            foreach (var key in new[] { "ack", "transfer", "timer", "idle", "requestsPerF1Flow" })
            {
                Assert.Equal(FigureDefinition.NotMeasured, figures[key]["verdict"]!.GetValue<string>());
                Assert.False(figures[key]["measured"]!.GetValue<bool>());
                Assert.All(figures[key]["values"]!.AsObject(), v => Assert.Null(v.Value));
                Assert.Empty(figures[key]["phases"]!.AsArray());
                var title = Figures.All.Single(f => f.Key == key).Title;
                var row = markdown.Split('\n').First(l => l.StartsWith($"| {title} |", StringComparison.Ordinal)); // the figures table; each run's table follows
                Assert.Equal($"| {title} | not measured | {figures[key]["goal"]!.GetValue<string>()} | not measured |", row.TrimEnd());
            }

            // Flows/s and the ratio are measured; whether the ratio holds can only be said beside the baseline's.
            Assert.Equal(FigureDefinition.NeedsABaseline, figures["throughput"]["verdict"]!.GetValue<string>());
            Assert.Contains(figures["memory"]["verdict"]!.GetValue<string>(), Verdicts);
            foreach (var key in new[] { "throughput", "memory" })
            {
                Assert.All(figures[key]["values"]!.AsObject(), v => Assert.True(v.Value is not null && v.Value.GetValue<double>() > 0, $"{key}: {v.Key} = {v.Value}"));
            }

            Assert.Empty(json["perRun"]![0]!["ackLatenciesMs"]!.AsArray());
            Assert.False(File.Exists(Path.Combine(folder, "latency.png")), "a chart without latencies");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static BenchOptions TinyOptions(string folder) => new()
    {
        Quick = true,
        OutputFolder = folder,
        ServicePath = ServiceDll(),
        // Longer than the engine's longest poll interval (Durable:MaxQueuePollingInterval, 5 s), so the window holds at
        // least one poll: a 2-s window once saw none (2026-12-07), and the run asserts an idle worker polls.
        IdleWindow = TimeSpan.FromSeconds(6),
        TransferSamples = 3,
        TimerSamples = 2,
        AckWindow = TimeSpan.FromSeconds(1),
        AckRate = 20,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        AfterIdleSamples = 1,
        AfterIdlePause = TimeSpan.FromSeconds(1),
        WaitingFlows = 100,
        LoadSampleInterval = TimeSpan.FromMilliseconds(50),
        RawBatchWindow = TimeSpan.FromSeconds(1),
        RawBatchWarmUp = TimeSpan.FromSeconds(0.5),
    };

    private async Task<(string Markdown, JsonNode Json)> RunAsync(BenchOptions options)
    {
        Assert.True(azurite.ConnectionString.Length > 0);
        var progress = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));

        var exitCode = await new BenchRunner(options, new StringWriter(), progress).RunAsync(deadline.Token);

        output.WriteLine(progress.ToString());
        Assert.Equal(0, exitCode);
        var markdown = await File.ReadAllTextAsync(Path.Combine(options.OutputFolder!, "results.md"));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(options.OutputFolder!, "results.json")))!;
        return (markdown, json);
    }

    // The service as this test run built it (same configuration).
    private static string ServiceDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return Path.Combine(RepositoryFolder.Root, "functions", "CinchFlows.Standalone", "bin", configuration, "net10.0", "CinchFlows.Standalone.dll");
    }
}
