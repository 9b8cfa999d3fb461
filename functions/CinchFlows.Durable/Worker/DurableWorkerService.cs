using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Storage.Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CinchFlows.Durable.Worker;

/// <summary>
/// Standalone hosting: polls the work queue (backing off to <see cref="DurableTaskOptions.MaxPollingInterval"/> when
/// idle, woken at once by local work and known timers) and sweeps periodically.
/// </summary>
internal sealed class DurableWorkerService(
    OrchestrationWorker worker,
    IOrchestrationStore store,
    WorkSignal signal,
    LocalStarts localStarts,
    TimeProvider timeProvider,
    IOptions<DurableTaskOptions> options,
    ILogger<DurableWorkerService> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop polling; hand held timers back; let running activities and steps commit their results, so a restart
        // resumes at once instead of waiting for the visibility timeout or the sweeper.
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await worker.DrainAsync(cancellationToken).ConfigureAwait(false);

        // Let work cancelled by the dispose unwind before the host tears down what it uses.
        try
        {
            await worker.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var admission = new StorageAdmission(settings.MaxBackgroundStorageRequests);
        using var background = admission.EnterBackground();
        await InitializeAsync(stoppingToken).ConfigureAwait(false);
        using var starts = localStarts.Attach(worker, admission);
        var sweeping = SweepLoopAsync(settings, stoppingToken);
        var delay = settings.MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await worker.PollOnceAsync(stoppingToken).ConfigureAwait(false);
                if (received > 0)
                {
                    delay = settings.MinPollingInterval;
                    continue;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Storage outages must not stop the listener: log, back off, poll again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WorkerLog.PollFailed(logger, ex);
                delay = settings.MaxPollingInterval;
            }

            try
            {
                await signal.WaitAsync(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        await sweeping.ConfigureAwait(false);
    }

    private async Task InitializeAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await store.InitializeAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                WorkerLog.PollFailed(logger, ex);
                await Task.Delay(retry, timeProvider, stoppingToken).ConfigureAwait(false);
                retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 30));
            }
        }
    }

    private async Task SweepLoopAsync(DurableTaskOptions settings, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await worker.SweepAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(settings.SweepInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed sweep is retried at the next interval.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WorkerLog.SweepFailed(logger, ex);
                try
                {
                    await Task.Delay(settings.SweepInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
