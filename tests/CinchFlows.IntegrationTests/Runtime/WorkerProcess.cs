using CinchFlows.Durable;
using CinchFlows.Durable.Client;
using CinchFlows.Durable.Hosting;
using CinchFlows.Durable.Storage.Azure;
using CinchFlows.Durable.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Runtime;

/// <summary>
/// One standalone worker "process" on Azurite: the runtime with its queue listener and sweeper in a generic host. Tests
/// start several on one task hub to prove they cooperate, and stop one to stand for a crash or a restart.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly IHost host;

    private WorkerProcess(IHost host)
    {
        this.host = host;
    }

    public DurableTaskClient Client => host.Services.GetRequiredService<DurableTaskClient>();

    public DurableMetrics Metrics => host.Services.GetRequiredService<DurableMetrics>();

    public OrchestrationWorker Worker => host.Services.GetRequiredService<OrchestrationWorker>();

    public static async Task<WorkerProcess> StartAsync(
        string connectionString,
        string taskHub,
        Action<DurableTaskRegistry> register,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool listen = true,
        Action<OrchestrationWorker>? beforeStart = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Durable:TaskHubName"] = taskHub,
            ["Durable:MaxPollingInterval"] = "00:00:00.500",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var durable = builder.Services.AddDurableTask(register).UseAzureStorage(o => o.ConnectionString = connectionString);
        if (listen)
        {
            durable.AddQueueListener();
        }

        services?.Invoke(builder.Services);
        var host = builder.Build();
        beforeStart?.Invoke(host.Services.GetRequiredService<OrchestrationWorker>());
        await host.Services.GetRequiredService<Durable.Storage.IOrchestrationStore>().InitializeAsync(CancellationToken.None);
        await host.StartAsync();
        return new WorkerProcess(host);
    }

    public Task StopAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
