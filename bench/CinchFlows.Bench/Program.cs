using System.Runtime.InteropServices;
using CinchFlows.Bench;

// The benchmark harness's entry point; see BenchOptions.Usage and docs/performance.md.
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"[bench] {ex.Message}\n\n{BenchOptions.Usage}").ConfigureAwait(false);
    return 2;
}

// Ctrl+C (SIGINT) and SIGTERM (e.g. from `timeout` or a CI job's cancel) stop the run the same way: everything it
// started is stopped before it exits. Without a SIGTERM handler the runtime's default did not (2026-12-07: the harness,
// its Azurite and its service all kept running after a SIGTERM).
using var cancel = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    return await new BenchRunner(options, Console.Out, Console.Error).RunAsync(cancel.Token).ConfigureAwait(false);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("[bench] stopped (Ctrl+C or SIGTERM); everything it started is stopped").ConfigureAwait(false);
    return 130;
}
