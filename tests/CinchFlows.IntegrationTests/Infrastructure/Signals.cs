using System.Diagnostics;
using System.Globalization;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Sends a POSIX signal to a process (<c>kill -SIGNAL pid</c>), for stops .NET's Process has no call for (SIGTERM).</summary>
internal static class Signals
{
    /// <param name="signal">The signal's name without "SIG", e.g. <c>TERM</c> or <c>KILL</c>.</param>
    public static async Task SendAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
