using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace CinchFlows.Bench;

/// <summary>
/// A process the harness started, its output appended to a log file. Disposing stops it (SIGTERM, then SIGKILL after a
/// grace period); every child still alive when the harness exits (also on Ctrl+C or a crash) is killed.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Alive = new();
    private readonly Process process;
    private readonly StreamWriter log;

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private ChildProcess(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
    }

    /// <summary>The process id.</summary>
    public int Id => process.Id;

    /// <summary>True once it exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="start"/> with its output going to <paramref name="logPath"/>, each line also to
    /// <paramref name="consume"/> when given (called on the reader's thread, in the order the process printed).
    /// </summary>
    public static ChildProcess Start(ProcessStartInfo start, string logPath, Action<string>? consume = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                consume?.Invoke(line);
            }

            Write(log, e.Data);
        };
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        Alive[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, log);
    }

    /// <summary>Kills every child still running (the harness is going away).</summary>
    public static void KillAll()
    {
        foreach (var (_, process) in Alive)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Resident memory (VmRSS) in bytes, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{process.Id}/status has no VmRSS line.");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                // SIGTERM lets the service stop gracefully; Process.Kill would be SIGKILL.
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync().ConfigureAwait(false);
                }

                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Alive.TryRemove(process.Id, out _);
            process.Dispose();
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process printed after it was stopped.
            }
        }
    }
}
