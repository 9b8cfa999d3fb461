using System.Diagnostics;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// One worker as production runs it: the built CinchFlows.Standalone executable, standalone, as a child process on a
/// port of 127.0.0.1, configured through command-line settings. <see cref="Kill"/> sends SIGKILL (no graceful stop);
/// <see cref="StartAsync"/> starts it again on the same port and settings.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);
    // A full-size run keeps all of it for the files it writes (a failure's cause is often minutes before its end).
    private static readonly int OutputLimit = ReliabilitySizes.ResultsFolder is null ? 200_000 : 100_000_000;

    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly ProcessOutput output = new(OutputLimit);

    // An empty folder: the worker reads no appsettings file, only the settings given here.
    private readonly string workingFolder = Directory.CreateTempSubdirectory("cinchflows-worker-").FullName;
    private Process? process;

    public ServiceProcess(string name, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        this.settings = settings;
        Port = LoopbackPorts.Free();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for this worker (it survives restarts: same address).</summary>
    public HttpClient Http { get; }

    public bool IsRunning => process is { HasExited: false };

    /// <summary>How many times it was started.</summary>
    public int Starts { get; private set; }

    /// <summary>What the worker printed (stdout and stderr, all its lives), capped, for failure messages.</summary>
    public string Output => output.Text;

    /// <summary>Starts the executable and waits until <c>/api/health</c> answers 200.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var start = new ProcessStartInfo(Executable())
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_gcServer"] = "0";
        start.ArgumentList.Add("--Urls=" + BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        output.Append($"--- {Name}: start {Starts + 1} at {DateTime.UtcNow:HH:mm:ss.fff} ---");
        var started = new Process { StartInfo = start };
        started.Start();
        output.Attach(started);
        process?.Dispose();
        process = started;
        Starts++;
        await WaitHealthyAsync(StartupDeadline);
    }

    /// <summary>SIGKILL: the worker gets no chance to hand anything back.</summary>
    public void Kill()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit();
            output.Append($"--- {Name}: killed at {DateTime.UtcNow:HH:mm:ss.fff} ---");
        }
    }

    /// <summary>Waits until <c>/api/health</c> answers 200.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        try
        {
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    if (process is { HasExited: true } exited)
                    {
                        throw new InvalidOperationException($"{Name} exited with code {exited.ExitCode}.\n{Tail()}");
                    }

                    return await HealthStatusAsync() == 200;
                },
                timeout,
                $"{Name} to answer /api/health with 200");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{Tail()}", ex);
        }
    }

    /// <summary>The status code of <c>/api/health</c>, or 0 when nothing answered.</summary>
    public async Task<int> HealthStatusAsync()
    {
        try
        {
            using var response = await Http.GetAsync("api/health");
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>The last lines of <see cref="Output"/>.</summary>
    public string Tail(int characters = 4000) => output.Tail(characters);

    public ValueTask DisposeAsync()
    {
        Kill();
        process?.Dispose();

        // A full-size run keeps every worker's output beside its figures, for the failure a tail does not explain.
        if (ReliabilitySizes.ResultsFolder is { } results)
        {
            Directory.CreateDirectory(results);
            File.WriteAllText(Path.Combine(results, $"{Name}-{Port}.log"), Output);
        }

        Http.Dispose();
        Directory.Delete(workingFolder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static string Executable()
    {
        // The test project references the host, so its apphost sits next to the tests.
        var path = Path.Combine(AppContext.BaseDirectory, "CinchFlows.Standalone");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The built CinchFlows.Standalone executable is not next to the tests.", path);
        }

        return path;
    }
}
