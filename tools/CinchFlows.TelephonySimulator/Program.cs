using CinchFlows.TelephonySimulator.Demo;

// The simulator's command line; see DemoOptions.Usage.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(DemoOptions.Usage);
    return args.Length == 0 ? 2 : 0;
}

if (args[0] != "demo")
{
    await Console.Error.WriteLineAsync($"unknown command '{args[0]}'\n\n{DemoOptions.Usage}").ConfigureAwait(false);
    return 2;
}

if (args.Skip(1).Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(DemoOptions.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var options = DemoOptions.Parse(args[1..]);
    await new DemoRunner(options, Console.Out).RunAsync(cancel.Token).ConfigureAwait(false);
    return 0;
}
catch (DemoException ex)
{
    await Console.Error.WriteLineAsync($"[demo] error: {ex.Message}").ConfigureAwait(false);
    return ex.ExitCode;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("[demo] stopped (Ctrl+C)").ConfigureAwait(false);
    return 130;
}
