using CinchFlows.Durable.Worker;
using Microsoft.Extensions.Hosting;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>
/// On stop, lets the worker's in-process work (activities run after a commit, held timers) finish or hand back, as the
/// standalone listener does; what still runs when the host's shutdown timeout passes is redone from the queue or the outbox.
/// </summary>
internal sealed class CustomHandlerDrainService(OrchestrationWorker worker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => worker.DrainAsync(cancellationToken);
}
