namespace CinchFlows.TelephonySimulator.Demo;

/// <summary>The demo cannot go on; the message says why and what to do, and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class DemoException(string message, int exitCode = 1, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The process exit code: 1 for a failed run, 2 for a bad command line.</summary>
    public int ExitCode { get; } = exitCode;
}
