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
    public async Task A_tiny_run_writes_markdown_json_and_a_chart_with_every_figure()
    {
        var folder = Directory.CreateTempSubdirectory("cinchflows-bench-test-").FullName;
        try
        {
            var (markdown, json) = await RunAsync(TinyOptions(folder));

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
                Assert.All(figure["values"]!.AsObject(), v => Assert.True(
                    v.Value is not null && (isTimer ? v.Value.GetValue<double>() > -1000 : v.Value.GetValue<double>() >= 0),
                    $"{figure["key"]}: {v.Key} = {v.Value}"));
                Assert.Contains(figure["title"]!.GetValue<string>().Split(" N ")[0], markdown, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(FigureDefinition.NotMeasured, markdown, StringComparison.Ordinal);
            Assert.Equal(BenchOptions.FlowPhases, figures.Single(f => f!["key"]!.GetValue<string>() == "requestsPerStep")!["phases"]!.AsArray().Select(p => p!.GetValue<string>()));

            // The load phase's capacity details and the samples they come from.
            var medians = json["medians"]!.AsObject();
            foreach (var key in new[] { "loadSeconds", "load.sendSeconds", "load.flowsPerSecondSent", "load.drainShare", "load.drainSeconds", "load.windowStepsPerSecond", "load.emptyPolls", "load.non202" })
            {
                Assert.True(medians[key] is not null && medians[key]!.GetValue<double>() >= 0, $"{key} = {medians[key]}");
            }

            var samples = json["perRun"]![0]!["loadSamples"]!.AsArray();
            Assert.True(samples.Count >= 2, $"{samples.Count} load samples");
            Assert.True(samples[^1]!["steps"]!.GetValue<long>() > samples[0]!["steps"]!.GetValue<long>(), "the load samples saw no step");

            var png = await File.ReadAllBytesAsync(Path.Combine(folder, "latency.png"));
            Assert.True(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "latency.png is not a PNG");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_of_some_phases_reports_the_others_as_not_measured()
    {
        var folder = Directory.CreateTempSubdirectory("cinchflows-bench-test-").FullName;
        try
        {
            var options = TinyOptions(folder) with { Phases = [BenchPhases.Raw, BenchPhases.Load] };

            var (markdown, json) = await RunAsync(options);

            Assert.Equal(["raw", "load"], json["phases"]!.AsArray().Select(p => p!.GetValue<string>()));
            var figures = json["figures"]!.AsArray().ToDictionary(f => f!["key"]!.GetValue<string>(), f => f!);
            foreach (var key in new[] { "ack", "transfer", "timer", "idle" })
            {
                Assert.Equal(FigureDefinition.NotMeasured, figures[key]["verdict"]!.GetValue<string>());
                Assert.False(figures[key]["measured"]!.GetValue<bool>());
                Assert.All(figures[key]["values"]!.AsObject(), v => Assert.Null(v.Value));
                Assert.Empty(figures[key]["phases"]!.AsArray());
                var title = Figures.All.Single(f => f.Key == key).Title;
                var row = markdown.Split('\n').Single(l => l.StartsWith($"| {title} |", StringComparison.Ordinal));
                Assert.Equal($"| {title} | not measured | {figures[key]["target"]!.GetValue<string>()} | not measured | not measured |", row.TrimEnd());
            }

            foreach (var key in new[] { "throughput", "memory", "requestsPerStep" })
            {
                Assert.Contains(figures[key]["verdict"]!.GetValue<string>(), Verdicts);
                Assert.All(figures[key]["values"]!.AsObject(), v => Assert.True(v.Value is not null && v.Value.GetValue<double>() >= 0, $"{key}: {v.Key} = {v.Value}"));
            }

            Assert.Equal(["load"], figures["requestsPerStep"]["phases"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.Contains("storage requests per step cover the steps of the flow phases run: load", markdown, StringComparison.Ordinal);
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
        IdleWindow = TimeSpan.FromSeconds(2),
        TransferSamples = 3,
        TimerSamples = 2,
        AckWindow = TimeSpan.FromSeconds(1),
        AckRate = 20,
        WaitingFlows = 100, // about 450 steps: a drain long enough to time at this sampling interval
        LoadSampleInterval = TimeSpan.FromMilliseconds(20),
        RawBatchWindow = TimeSpan.FromSeconds(1),
        RawBatchWarmUp = TimeSpan.FromSeconds(0.5),
    };

    private async Task<(string Markdown, JsonNode Json)> RunAsync(BenchOptions options)
    {
        Assert.True(azurite.ConnectionString.Length > 0);
        var progress = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

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
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CinchFlows.sln")))
            {
                return Path.Combine(directory.FullName, "functions", "CinchFlows.Standalone", "bin", configuration, "net10.0", "CinchFlows.Standalone.dll");
            }
        }

        throw new InvalidOperationException($"No CinchFlows.sln above {AppContext.BaseDirectory}.");
    }
}
