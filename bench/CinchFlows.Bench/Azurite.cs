using System.Diagnostics;
using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>
/// Azurite from the repo's pinned npm package, in memory, on free ports of 127.0.0.1, for one run. Its access log
/// (one line per request) is read as it comes: <see cref="Requests"/> counts every storage request it answered.
/// </summary>
internal sealed class Azurite : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess process;
    private readonly string workFolder;

    private readonly HttpClient markers;
    private readonly Uri queueEndpoint;
    private int markerCount;

    private Azurite(ChildProcess process, string workFolder, string connectionString, StorageRequestLog requests, Uri queueEndpoint)
    {
        this.process = process;
        this.workFolder = workFolder;
        this.queueEndpoint = queueEndpoint;
        ConnectionString = connectionString;
        Requests = requests;
        markers = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>Every request Azurite answered, by kind, from its access log.</summary>
    public StorageRequestLog Requests { get; }

    /// <summary>The connection string of its account.</summary>
    public string ConnectionString { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>
    /// Starts Azurite and waits until its queue and table ports answer. With <paramref name="indexed"/> it runs
    /// through bench/azurite-indexed.js: without the costs that grow with everything Azurite holds (table queries
    /// scanning whole tables, queue requests re-sorting every message), which Azure Storage does not have.
    /// </summary>
    public static async Task<Azurite> StartAsync(string repositoryRoot, string logPath, bool indexed, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run npm ci in {repositoryRoot} (scripts/bench.sh does).");
        }

        var ports = LoopbackPorts.Free(3);
        var (blob, queue, table) = (ports[0], ports[1], ports[2]);
        var workFolder = Directory.CreateTempSubdirectory("cinchflows-bench-azurite-").FullName;
        var start = new ProcessStartInfo(indexed ? "node" : executable) { WorkingDirectory = workFolder };
        if (indexed)
        {
            start.ArgumentList.Add(Path.Combine(repositoryRoot, "bench", "azurite-indexed.js"));
        }

        foreach (var argument in new[]
        {
            // No --silent: the access log is how requests are counted.
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Text(blob), "--queuePort", Text(queue), "--tablePort", Text(table),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var requests = new StorageRequestLog();
        var process = ChildProcess.Start(start, logPath, requests.Observe);
        var connection =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        var azurite = new Azurite(process, workFolder, connection, requests, new Uri($"http://127.0.0.1:{queue}/devstoreaccount1/"));
        try
        {
            foreach (var port in new[] { queue, table })
            {
                await LoopbackPorts.WaitUntilOpenAsync(port, TimeSpan.FromSeconds(60), () => process.HasExited, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return azurite;
    }

    /// <summary>
    /// The exact counts at this moment: sends a marker request (a path no client uses) and waits until Azurite has
    /// logged it, so every request answered before it is counted. Markers themselves are not counted.
    /// </summary>
    public async Task<StorageRequestSnapshot> RequestsNowAsync(CancellationToken cancellationToken)
    {
        var name = StorageRequestLog.MarkerPrefix + Interlocked.Increment(ref markerCount).ToString(CultureInfo.InvariantCulture);
        var marked = Requests.WhenMarked(name);

        // Unsigned, so Azurite refuses it (403); it is logged all the same, which is all a marker needs.
        using (await markers.GetAsync(new Uri(queueEndpoint, name), cancellationToken).ConfigureAwait(false))
        {
        }

        return await marked.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        markers.Dispose();
        await process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(workFolder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
