using CinchFlows.Web.StuckFlows;
using Microsoft.Extensions.Options;

namespace CinchFlows.Standalone.Hosting;

/// <summary>The standalone host's stuck-flow timer: one check every <see cref="StuckFlowOptions.Interval"/>, the first one an interval after start.</summary>
internal sealed class StuckFlowWorker(StuckFlowCheck check, IOptions<StuckFlowOptions> options, TimeProvider timeProvider, ILogger<StuckFlowWorker> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.Disabled();
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await check.CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A storage outage must not stop the host; the next tick tries again.
                logger.Failed(ex);
            }
        }
    }
}
