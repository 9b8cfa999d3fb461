using System.Diagnostics;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// An Azurite of its own with on-disk persistence (a temp folder) on fixed free ports of 127.0.0.1, which a test stops
/// (SIGTERM, so it saves its data as a real storage service keeps it) and starts again on the same ports and folder.
/// </summary>
internal sealed class PersistentAzurite : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ProcessOutput output = new();
    private readonly string folder = Directory.CreateTempSubdirectory("cinchflows-azurite-disk-").FullName;
    private readonly int[] ports = LoopbackPorts.Free(3);
    private Process? process;

    private int BlobPort => ports[0];

    private int QueuePort => ports[1];

    private int TablePort => ports[2];

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AzuriteFixture.DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public string Output => output.Text;

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryFolder.Root, "node_modules", ".bin", "azurite"))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--location", folder, "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", BlobPort.ToString(), "--queuePort", QueuePort.ToString(), "--tablePort", TablePort.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var started = new Process { StartInfo = start };
        started.Start();
        output.Attach(started);
        process?.Dispose();
        process = started;
        await Eventually.WaitUntilAsync(
            async () => started.HasExited
                ? throw new InvalidOperationException($"Azurite exited with code {started.ExitCode}.\n{Output}")
                : await LoopbackPorts.AcceptsAsync(TablePort) && await LoopbackPorts.AcceptsAsync(QueuePort),
            Deadline,
            "Azurite (on disk) to listen");
    }

    /// <summary>Stops Azurite with SIGTERM (it closes its databases) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (process is not { HasExited: false } running)
        {
            return;
        }

        await Signals.SendAsync(running.Id, "TERM");

        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await running.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill(entireProcessTree: true);
            throw new TimeoutException($"Azurite did not stop within {Deadline} of SIGTERM.\n{Output}");
        }
    }

    public ValueTask DisposeAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit();
        }

        process?.Dispose();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
