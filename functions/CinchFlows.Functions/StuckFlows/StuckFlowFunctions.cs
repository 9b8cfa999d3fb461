using CinchFlows.Functions.Hosting;
using CinchFlows.Web.StuckFlows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.StuckFlows;

/// <summary>The stuck-flow check on a timer (the standalone host's <c>StuckFlowWorker</c> runs the same <see cref="StuckFlowCheck"/>).</summary>
internal sealed class StuckFlowFunctions(BoundDurableTaskClient durable, StuckFlowCheck check)
{
    /// <summary>Every 5 minutes, at second 40 (off the minute, when timers of other jobs fire). <c>StuckFlows:Enabled=false</c> switches it off.</summary>
    public const string Schedule = "40 */5 * * * *";

    /// <summary>Finds stuck flows and tells ops about each new one (ops-alerts, metric, log).</summary>
    [Function(nameof(StuckFlowCheck))]
    public Task StuckFlowCheck(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        durable.Bind(client);

        // A failure is thrown to the host, which logs it; the next run tries again.
        return check.CheckAsync(cancellationToken);
    }
}
