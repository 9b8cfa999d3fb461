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
        Assert.True(azurite.ConnectionString.Length > 0);
        var folder = Directory.CreateTempSubdirectory("cinchflows-bench-test-").FullName;
        try
        {
            var options = new BenchOptions
            {
                Quick = true,
                OutputFolder = folder,
                ServicePath = ServiceDll(),
                IdleWindow = TimeSpan.FromSeconds(2),
                TransferSamples = 3,
                TimerSamples = 2,
                AckWindow = TimeSpan.FromSeconds(1),
                AckRate = 20,
                WaitingFlows = 20,
                RawBatchWindow = TimeSpan.FromSeconds(1),
            };
            var progress = new StringWriter();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

            var exitCode = await new BenchRunner(options, new StringWriter(), progress).RunAsync(deadline.Token);

            output.WriteLine(progress.ToString());
            Assert.Equal(0, exitCode);
            var markdown = await File.ReadAllTextAsync(Path.Combine(folder, "results.md"));
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "results.json")))!;
            var figures = json["figures"]!.AsArray();
            Assert.Equal(Figures.All.Select(f => f.Key), figures.Select(f => f!["key"]!.GetValue<string>()));
            foreach (var figure in figures)
            {
                Assert.Contains(figure!["verdict"]!.GetValue<string>(), Verdicts);
                Assert.All(figure["values"]!.AsObject(), v => Assert.True(v.Value is not null && v.Value.GetValue<double>() >= 0, $"{figure["key"]}: {v.Key} = {v.Value}"));
                Assert.Contains(figure["title"]!.GetValue<string>().Split(" N ")[0], markdown, StringComparison.Ordinal);
            }

            var png = await File.ReadAllBytesAsync(Path.Combine(folder, "latency.png"));
            Assert.True(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "latency.png is not a PNG");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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
                return Path.Combine(directory.FullName, "functions", "CinchFlows.Functions", "bin", configuration, "net10.0", "CinchFlows.Functions.dll");
            }
        }

        throw new InvalidOperationException($"No CinchFlows.sln above {AppContext.BaseDirectory}.");
    }
}
