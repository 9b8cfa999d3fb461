using CinchFlows.Web.Retention;
using Microsoft.Extensions.Options;

namespace CinchFlows.Standalone.Hosting;

/// <summary>The standalone host's retention timer: one sweep every <see cref="RetentionOptions.Interval"/>, the first one an interval after start.</summary>
internal sealed class RetentionWorker(RetentionSweeper sweeper, IOptions<RetentionOptions> options, TimeProvider timeProvider, ILogger<RetentionWorker> logger) : BackgroundService
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
                await sweeper.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A storage outage must not stop the host; the next tick tries again.
                logger.Failed(ex);
            }
        }
    }
}
