using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CinchFlows.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CinchFlows.IntegrationTests.Scripts;

/// <summary>
/// The README's run command, <c>./scripts/run.sh</c>, as a newcomer runs it: it starts its own Azurite and the host,
/// and a stop signal stops both (a bug once left the host running after Ctrl+C). Own ports and Azurite folder, so a
/// developer's running service is not touched.
/// </summary>
public sealed class RunScriptTests(ITestOutputHelper output) : IDisposable
{
    private readonly string azuriteFolder = Directory.CreateTempSubdirectory("cinchflows-run-").FullName;

    [Fact]
    public async Task RunSh_ServesHealth_AndASigtermStopsTheHostAndItsAzurite()
    {
        var ports = LoopbackPorts.Free(4);
        var start = new ProcessStartInfo(Path.Combine(RepositoryFolder.Root, "scripts", "run.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["AZURITE_BLOB_PORT"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AZURITE_QUEUE_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AZURITE_TABLE_PORT"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CINCHFLOWS_AZURITE_DIR"] = azuriteFolder;
        var hostUrl = $"http://127.0.0.1:{ports[3]}";
        start.Environment["Urls"] = hostUrl;
        start.Environment.Remove("AzureWebJobsStorage");
        start.Environment.Remove("ASPNETCORE_URLS");
        var printed = new ProcessOutput(limit: 200_000);
        using var script = Process.Start(start)!;
        printed.Attach(script);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(hostUrl), Timeout = TimeSpan.FromSeconds(5) };
            HttpStatusCode? lastStatus = null;
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    if (script.HasExited)
                    {
                        Assert.Fail($"run.sh exited ({script.ExitCode}) before the host answered:\n{printed.Tail(4000)}");
                    }

                    try
                    {
                        using var health = await http.GetAsync(new Uri("/api/health", UriKind.Relative));
                        lastStatus = health.StatusCode;
                        return health.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromMinutes(4),
                () => $"the host's /api/health to answer 200 (last: {lastStatus?.ToString() ?? "no answer"}); run.sh printed:\n{printed.Tail(4000)}");
            Assert.All(ports, port => Assert.True(Listening(port), $"nothing listens on {port}"));

            var stopping = Stopwatch.StartNew();
            await Signals.SendAsync(script.Id, "TERM");
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                try
                {
                    await script.WaitForExitAsync(exit.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"run.sh, or something it started that holds its output, still ran 60 s after SIGTERM:\n{printed.Tail(4000)}");
                }
            }

            output.WriteLine($"run.sh stopped {stopping.Elapsed.TotalSeconds:0.0} s after SIGTERM, exit code {script.ExitCode}");
            Assert.Equal(128 + 15, script.ExitCode);
            Assert.All(ports, port => Assert.False(Listening(port), $"port {port} still answers after run.sh exited:\n{printed.Tail(4000)}"));
            Assert.Empty(Started(azuriteFolder, hostUrl));
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }

            foreach (var pid in Started(azuriteFolder, hostUrl))
            {
                await Signals.SendAsync(pid, "KILL");
            }
        }
    }

    public void Dispose() => Directory.Delete(azuriteFolder, recursive: true);

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // What run.sh started and may have left: its Azurite (its folder is an argument) and its host (its URL comes from the
    // environment run.sh passes on).
    private static List<int> Started(string azuriteFolder, string hostUrl)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (arguments.Contains(azuriteFolder) || (environment.Contains($"Urls={hostUrl}") && arguments.Any(a => a.EndsWith("CinchFlows.Standalone.dll", StringComparison.Ordinal))))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return found;
    }
}
