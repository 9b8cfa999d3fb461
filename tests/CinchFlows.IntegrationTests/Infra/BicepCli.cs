using System.Diagnostics;
using System.Reflection;

namespace CinchFlows.IntegrationTests.Infra;

/// <summary>The Bicep CLI from the restored NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>; runs offline.</summary>
internal static class BicepCli
{
    public static string Executable
    {
        get
        {
            var folder = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackageFolder").Value;
            var path = Path.Combine(folder!, "tools", "bicep");
            Assert.True(File.Exists(path), $"The Bicep CLI is missing at {path}: restore the test project.");
            return path;
        }
    }

    /// <summary>Runs <c>bicep</c> with the arguments; returns its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, and no wait on a network the CI machine may not have.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
