using CinchFlows.Web.Retention;
using Microsoft.Extensions.Options;

namespace CinchFlows.Standalone.Hosting;

/// <summary>The standalone host's retention timer: one sweep every <see cref="RetentionOptions.Interval"/>, the first one an interval after start.</summary>
internal sealed class RetentionWorker(RetentionSweeper sweeper, IOptions<RetentionOptions> options, TimeProvider timeProvider, ILogger<RetentionWorker> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.Enabled, options.Value.Interval, timeProvider, sweeper.SweepAsync, logger.Disabled, logger.Failed, stoppingToken);
}
