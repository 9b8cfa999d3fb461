using CinchFlows.Functions.Hosting;
using CinchFlows.Web.Retention;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.Retention;

/// <summary>The retention sweep on a timer (the standalone host's <c>RetentionWorker</c> runs the same <see cref="RetentionSweeper"/>).</summary>
internal sealed class RetentionFunctions(BoundDurableTaskClient durable, RetentionSweeper sweeper)
{
    /// <summary>Every hour at minute 17 (off the hour, when other jobs' storage traffic peaks). <c>Retention:Enabled=false</c> switches it off.</summary>
    public const string Schedule = "0 17 * * * *";

    /// <summary>Deletes finished flows, webhook receipts, completed callback tasks and hint rows older than <c>Retention:MaxAge</c>, and gone flows' action rows older than that.</summary>
    [Function(nameof(RetentionSweep))]
    public Task RetentionSweep(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        durable.Bind(client);

        // A failure is thrown to the host, which logs it; the next hour's run tries again.
        return sweeper.SweepAsync(cancellationToken);
    }
}
