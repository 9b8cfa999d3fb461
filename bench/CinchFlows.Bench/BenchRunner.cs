using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>
/// Runs the harness: every run in turn, each measuring every build (this one, and the baseline when one is given)
/// alternately, then the figures (medians per build, and their ratio) printed and written to the results folder.
/// </summary>
internal sealed class BenchRunner
{
    private readonly BenchOptions options;
    private readonly TextWriter output;
    private readonly TextWriter progress;

    public BenchRunner(BenchOptions options, TextWriter output, TextWriter progress)
    {
        this.options = options;
        this.output = output;
        this.progress = progress;
    }

    /// <summary>The results folder of the last <see cref="RunAsync"/>.</summary>
    public string? ResultsFolder { get; private set; }

    /// <summary>Runs everything; 0 when every run completed (targets missed or not), 1 when a run failed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot();
        var service = options.ServicePath ?? Path.Combine(root, "functions", "CinchFlows.Standalone", "bin", "Release", "net10.0", "CinchFlows.Standalone.dll");
        if (!File.Exists(service))
        {
            await progress.WriteLineAsync($"[bench] {service} is missing: build it first (dotnet build functions/CinchFlows.Standalone -c Release; scripts/bench.sh does).").ConfigureAwait(false);
            return 1;
        }

        if (options.BaselinePath is { } baseline && !File.Exists(baseline))
        {
            await progress.WriteLineAsync($"[bench] the baseline {baseline} is missing (scripts/bench.sh --side-by-side builds one).").ConfigureAwait(false);
            return 1;
        }

        var startedAt = DateTimeOffset.UtcNow;
        var folder = options.OutputFolder ?? Path.Combine(root, "artifacts", "bench", startedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        ResultsFolder = Path.GetFullPath(folder);
        var runs = new List<RunResult>();
        for (var i = 1; i <= options.Runs; i++)
        {
            // Alternately (odd runs: the baseline first), so a machine that gets busier or quieter favours neither.
            foreach (var build in options.BuildsFor(i, service))
            {
                try
                {
                    runs.Add(await new BenchRun(options, root, build, folder, i, progress).RunAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await progress.WriteLineAsync($"[bench] run {i} of {build.Label} failed: {ex}").ConfigureAwait(false);
                    return 1;
                }
            }
        }

        var markdown = ResultsWriter.Markdown(options, runs, startedAt);
        await ResultsWriter.WriteAsync(folder, options, runs, startedAt, markdown).ConfigureAwait(false);
        await output.WriteLineAsync(markdown).ConfigureAwait(false);
        await output.WriteLineAsync($"Results: {ResultsFolder} (results.md, results.json{(File.Exists(Path.Combine(folder, "latency.png")) ? ", latency.png" : "")}; service and Azurite logs)").ConfigureAwait(false);
        return 0;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CinchFlows.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CinchFlows.sln above {AppContext.BaseDirectory}.");
    }
}
