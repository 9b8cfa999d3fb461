using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>
/// Azurite (Table, Queue and Blob storage) for the test run, started once from the repo's pinned npm package, in memory,
/// on free ports of 127.0.0.1. Set CINCHFLOWS_TEST_STORAGE to a connection string to use that account instead.
/// Use it as <c>[Collection(AzuriteCollection.Name)] class X(AzuriteFixture azurite)</c> and give every test its own
/// <see cref="NewTaskHub"/> so tests never see each other's data.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Environment variable with a storage connection string that replaces Azurite.</summary>
    public const string ConnectionStringVariable = "CINCHFLOWS_TEST_STORAGE";

    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NpmDeadline = TimeSpan.FromMinutes(5);

    private static readonly SemaphoreSlim NpmGate = new(1, 1);

    private readonly StringBuilder output = new();
    private Process? azurite;
    private string? workFolder;

    /// <summary>Connection string of the account the tests use.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>True when Azurite was started by this fixture (not replaced through <see cref="ConnectionStringVariable"/>).</summary>
    public bool IsLocal => azurite is not null;

    /// <summary>What Azurite (and npm, if it ran) printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>A task hub name no other test uses (lowercase letters and digits, valid for tables and queues).</summary>
#pragma warning disable CA1822 // An instance method on purpose: tests call it as azurite.NewTaskHub().
    public string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..20];
#pragma warning restore CA1822

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } external)
        {
            ConnectionString = external;
            return;
        }

        var root = FindRepositoryRoot();
        var executable = Path.Combine(root, "node_modules", ".bin", "azurite");

        // Several collections each start an Azurite: two npm installs into one folder at once would corrupt it.
        await NpmGate.WaitAsync();
        try
        {
            if (!File.Exists(executable))
            {
                await RunNpmCiAsync(root);
            }
        }
        finally
        {
            NpmGate.Release();
        }

        var ports = LoopbackPorts.Free(3);
        var (blobPort, queuePort, tablePort) = (ports[0], ports[1], ports[2]);
        workFolder = Directory.CreateTempSubdirectory("cinchflows-azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", blobPort.ToString(), "--queuePort", queuePort.ToString(), "--tablePort", tablePort.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        azurite = Start(start);
        await WaitUntilListeningAsync(queuePort, tablePort);
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        if (azurite is not null)
        {
            if (!azurite.HasExited)
            {
                azurite.Kill(entireProcessTree: true);
            }

            azurite.Dispose();
        }

        if (workFolder is not null)
        {
            Directory.Delete(workFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        // The build output may live outside the tree (artifacts path); the source file's own path is the fallback.
        string?[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory, Path.GetDirectoryName(SourceFile())];
        foreach (var start in starts.OfType<string>())
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "CinchFlows.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException($"CinchFlows.sln not found above any of: {string.Join(", ", starts)}.");
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;

    private Process Start(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task RunNpmCiAsync(string root)
    {
        var npm = new ProcessStartInfo("npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(argument);
        }

        using var process = Start(npm);
        using var timeout = new CancellationTokenSource(NpmDeadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'npm ci' in {root} did not finish within {NpmDeadline}.\n{Output}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'npm ci' in {root} failed with exit code {process.ExitCode}.\n{Output}");
        }
    }

    private async Task WaitUntilListeningAsync(int queuePort, int tablePort)
    {
        var deadline = Stopwatch.StartNew();
        while (!(await LoopbackPorts.AcceptsAsync(tablePort) && await LoopbackPorts.AcceptsAsync(queuePort)))
        {
            if (azurite!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {azurite.ExitCode} before listening.\n{Output}");
            }

            if (deadline.Elapsed > StartupDeadline)
            {
                throw new TimeoutException($"Azurite did not listen on ports {tablePort} and {queuePort} within {StartupDeadline.TotalSeconds} s.\n{Output}");
            }

            // Poll the condition again shortly; the deadline above bounds the wait.
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
