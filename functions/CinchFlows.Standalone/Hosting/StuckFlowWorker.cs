using CinchFlows.Web.StuckFlows;
using Microsoft.Extensions.Options;

namespace CinchFlows.Standalone.Hosting;

/// <summary>The standalone host's stuck-flow timer: one check every <see cref="StuckFlowOptions.Interval"/>, the first one an interval after start.</summary>
internal sealed class StuckFlowWorker(StuckFlowCheck check, IOptions<StuckFlowOptions> options, TimeProvider timeProvider, ILogger<StuckFlowWorker> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.Enabled, options.Value.Interval, timeProvider, check.CheckAsync, logger.Disabled, logger.Failed, stoppingToken);
}
