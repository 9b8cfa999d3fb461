using System.Diagnostics;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.CustomHandler;

/// <summary>
/// The real executable (<c>CinchFlows.Functions.dll</c>) started as the Functions host starts its custom handler:
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set to a free port of 127.0.0.1, settings in environment variables.
/// </summary>
internal sealed class CustomHandlerProcess : IAsyncDisposable
{
    public const string OpsKey = "contract-ops-key-0123456789";
    public const string SupervisorKey = "contract-supervisor-key-0123456789";

    private readonly Process process;
    private readonly ProcessOutput output = new();

    private CustomHandlerProcess(Process process, int port)
    {
        this.process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>What the process wrote so far (for failure messages).</summary>
    public string Output => output.Text;

    public static async Task<CustomHandlerProcess> StartAsync(string connectionString, string taskHub, string callbackQueue)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CinchFlows.Functions.dll"));
        var settings = new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = string.Empty,
            ["AzureWebJobsStorage"] = connectionString,
            ["Durable__TaskHubName"] = taskHub,
            ["CallbackRequests__QueueName"] = callbackQueue,
            ["Access__Keys__0__key"] = OpsKey,
            ["Access__Keys__0__role"] = "ops",
            ["Access__Keys__1__key"] = SupervisorKey,
            ["Access__Keys__1__role"] = "supervisor",
            ["Notifications__Transport"] = "in-memory",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__CinchFlows.Functions.CustomHandler"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var handler = new CustomHandlerProcess(process, port);
        handler.output.Attach(process);
        try
        {
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"The executable exited with {process.ExitCode}:\n{handler.Output}");
                    }

                    return await LoopbackPorts.AcceptsAsync(port);
                },
                TimeSpan.FromSeconds(60),
                "the custom handler to listen");
        }
        catch
        {
            await handler.DisposeAsync();
            throw;
        }

        return handler;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
