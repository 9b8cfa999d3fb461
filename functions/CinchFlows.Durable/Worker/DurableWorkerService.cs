using Microsoft.Extensions.Hosting;

namespace CinchFlows.Durable.Worker;

/// <summary>Placeholder while the engine is written.</summary>
internal sealed class DurableWorkerService : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
