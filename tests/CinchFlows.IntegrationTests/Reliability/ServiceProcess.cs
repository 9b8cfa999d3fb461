using System.Diagnostics;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// One worker as production runs it: the built CinchFlows.Standalone executable, standalone, as a child process on a
/// port of 127.0.0.1, configured through command-line settings. <see cref="Kill"/> sends SIGKILL (no graceful stop);
/// <see cref="StartAsync"/> starts it again on the same port and settings. Like the process supervisor production has
/// (App Service, systemd, Kubernetes), a worker that exits on its own, while starting or later, is started again: a
/// worker that cannot reach its task hub exits by design and counts on that (docs/engine.md). Such exits are counted
/// (<see cref="Exits"/>), not hidden.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);

    // How long a supervisor keeps starting a worker that exits during start-up, and how long it waits between starts.
    private static readonly TimeSpan SupervisedStartDeadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RestartBackoff = TimeSpan.FromSeconds(1);
    // A full-size run keeps all of it for the files it writes (a failure's cause is often minutes before its end).
    private static readonly int OutputLimit = ReliabilitySizes.ResultsFolder is null ? 200_000 : 100_000_000;

    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly ProcessOutput output = new(OutputLimit);

    // An empty folder: the worker reads no appsettings file, only the settings given here.
    private readonly string workingFolder = Directory.CreateTempSubdirectory("cinchflows-worker-").FullName;
    private readonly SemaphoreSlim lifecycle = new(1, 1);
    private readonly List<string> exits = [];
    private readonly EngineWarnings? backOffs;
    private Process? process;
    private bool disposed;

    /// <param name="name">The worker's name in reports and file names.</param>
    /// <param name="settings">Its settings, as command-line arguments.</param>
    /// <param name="backOffs">Where the back-offs the backend logs are noted (see <see cref="EngineWarnings"/>), if anywhere.</param>
    public ServiceProcess(string name, IReadOnlyDictionary<string, string> settings, EngineWarnings? backOffs = null)
    {
        Name = name;
        this.settings = settings;
        this.backOffs = backOffs;
        Port = LoopbackPorts.Free();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        ObserverHttp = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for this worker (it survives restarts: same address).</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// A client for the harness's own watching (the unfinished-flows list): it waits 90 s rather than 15, because on a
    /// saturated single-threaded Azurite a list query queues behind every worker's polling. A slow answer is a figure
    /// for the benchmark (issue 16), not a lost flow; lost or stuck flows are still caught by the two-minute no-progress rule.
    /// </summary>
    public HttpClient ObserverHttp { get; }

    public bool IsRunning => process is { HasExited: false };

    /// <summary>The running process's id, or null when it is not running.</summary>
    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    /// <summary>How many times it was started.</summary>
    public int Starts { get; private set; }

    /// <summary>Exits the worker made on its own (not a <see cref="Kill"/>), each with its time and exit code; each was followed by a restart.</summary>
    public IReadOnlyList<string> Exits
    {
        get
        {
            lock (exits)
            {
                return [.. exits];
            }
        }
    }

    /// <summary>What the worker printed (stdout and stderr, all its lives), capped, for failure messages.</summary>
    public string Output => output.Text;

    /// <summary>
    /// Starts the executable and waits until <c>/api/health</c> answers 200; when it exits during start-up, starts it
    /// again after <see cref="RestartBackoff"/>, as a supervisor would, for up to <see cref="SupervisedStartDeadline"/>.
    /// </summary>
    public async Task StartAsync()
    {
        await lifecycle.WaitAsync();
        try
        {
            await StartSupervisedAsync();
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>SIGKILLs the worker and starts it again at once (supervised); returns how long until it answered health 200.</summary>
    public async Task<TimeSpan> KillAndRestartAsync()
    {
        await lifecycle.WaitAsync();
        try
        {
            Kill();
            var restart = Stopwatch.StartNew();
            await StartSupervisedAsync();
            return restart.Elapsed;
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>
    /// When the worker has exited on its own since it last started (not killed, not starting or being restarted now),
    /// records the exit and starts it again; true when it did. The cluster's supervisor loop calls this.
    /// </summary>
    public async Task<bool> ReviveIfExitedAsync()
    {
        if (!await lifecycle.WaitAsync(TimeSpan.Zero))
        {
            return false;
        }

        try
        {
            if (disposed || process is not { HasExited: true } exited)
            {
                return false;
            }

            RecordExit(exited.ExitCode, "while running");
            await Task.Delay(RestartBackoff);
            await StartSupervisedAsync();
            return true;
        }
        finally
        {
            lifecycle.Release();
        }
    }

    private async Task StartSupervisedAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await StartOnceAsync();
                return;
            }
            catch (WorkerExitedException ex) when (deadline.Elapsed < SupervisedStartDeadline)
            {
                RecordExit(ex.ExitCode, "while starting");
                await Task.Delay(RestartBackoff);
            }
        }
    }

    private void RecordExit(int exitCode, string when)
    {
        var line = $"{Name} exited with code {exitCode} {when} at {DateTime.UtcNow:HH:mm:ss.fff}; started again";
        output.Append($"--- {line} ---");
        lock (exits)
        {
            exits.Add(line);
        }
    }

    private async Task StartOnceAsync()
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
        if (backOffs is not null)
        {
            started.OutputDataReceived += (_, e) => backOffs.Read(e.Data);
        }

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
                        throw new WorkerExitedException(exited.ExitCode, $"{Name} exited with code {exited.ExitCode}.\n{Tail()}");
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
        disposed = true;
        Kill();
        process?.Dispose();

        // A full-size run keeps every worker's output beside its figures, for the failure a tail does not explain.
        if (ReliabilitySizes.ResultsFolder is { } results)
        {
            Directory.CreateDirectory(results);
            File.WriteAllText(Path.Combine(results, $"{Name}-{Port}.log"), Output);
        }

        Http.Dispose();
        ObserverHttp.Dispose();
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

/// <summary>The worker process ended before it answered health 200.</summary>
internal sealed class WorkerExitedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
