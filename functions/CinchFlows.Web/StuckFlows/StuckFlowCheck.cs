using System.Diagnostics.Metrics;
using System.Text.Json;
using CinchFlows.Flows.Notifications;
using CinchFlows.Web.Management;
using CinchFlows.Web.Telemetry;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.StuckFlows;

/// <summary>
/// Finds flows that will never move on their own (<see cref="StuckFlowKind"/>) and tells ops once per flow: an
/// <c>ops-alerts</c> notification (subject <c>flow.stuck</c>), the metric <c>cinchflows.stuck_flows</c> by kind, and a
/// warning in the log. Only flows whose status row has been quiet for <see cref="StuckFlowOptions.QuietFor"/> are read,
/// the quietest first. Both hosts run it on a timer; <c>GET /api/ops/stuck-flows</c> runs it on demand.
/// </summary>
internal sealed class StuckFlowCheck(
    DurableTaskClient client,
    IInstanceHistory history,
    IStuckFlowLedger ledger,
    INotificationPublisher publisher,
    IOptionsMonitor<StuckFlowOptions> options,
    TimeProvider timeProvider,
    ILogger<StuckFlowCheck> logger)
{
    private static readonly Meter Meter = new(WebhookTelemetry.Name);
    private static readonly Counter<long> Stuck = Meter.CreateCounter<long>(
        "cinchflows.stuck_flows", "{flow}", "Flows found stuck (told to ops once each), by kind: EndedButShownRunning, NeverStarted, OverdueWithNothingScheduled.");

    private static readonly OrchestrationRuntimeStatus[] Waiting = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running];

    /// <summary>Looks at the quiet flows now and returns the stuck ones; tells nobody.</summary>
    public async Task<StuckFlowReport> FindAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = timeProvider.GetUtcNow();
        var quietSince = now - settings.QuietFor;

        // A flow created within the quiet time cannot have been quiet that long; the query leaves those out.
        var query = new OrchestrationQuery { CreatedTo = quietSince, Statuses = Waiting, PageSize = 100, FetchInputsAndOutputs = true };
        var quiet = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (instance.LastUpdatedAt <= quietSince)
            {
                quiet.Add(instance);
            }
        }

        var findings = new List<StuckFlowFinding>();
        var looked = 0;
        foreach (var instance in quiet.OrderBy(i => i.LastUpdatedAt).Take(settings.MaxChecked))
        {
            IReadOnlyList<System.Text.Json.Nodes.JsonObject> events;
            try
            {
                events = await history.GetAsync(instance.InstanceId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.HistoryUnreadable(instance.InstanceId, ex);
                continue;
            }

            looked++;
            if (StuckFlowRules.Judge(instance, StuckFlowRules.Summarise(events), now, settings) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return new StuckFlowReport(now, looked, findings);
    }

    /// <summary>The scheduled check: finds the stuck flows and tells ops about each one not told before. Null when switched off.</summary>
    public async Task<StuckFlowReport?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            logger.Disabled();
            return null;
        }

        var report = await FindAsync(cancellationToken).ConfigureAwait(false);
        var told = 0;
        foreach (var finding in report.Findings)
        {
            if (await ledger.WasToldAsync(finding, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            // Sent before it is recorded, so a failed send is tried again by the next check; the message id is stable
            // for this flow and reason, so Service Bus drops a repeat after a crash between the two.
            await publisher.PublishAsync(Alert(finding), cancellationToken).ConfigureAwait(false);
            await ledger.RecordToldAsync(finding, report.CheckedTime, cancellationToken).ConfigureAwait(false);
            Stuck.Add(1, new KeyValuePair<string, object?>("kind", finding.Kind.ToString()));
            logger.Found(finding.InstanceId, finding.Name, finding.Kind, finding.RuntimeStatus, finding.LastUpdatedTime);
            told++;
        }

        logger.Checked(report.Looked, report.Findings.Count, told);
        return report;
    }

    private static Notification Alert(StuckFlowFinding finding) => new(
        NotificationTopic.OpsAlerts,
        $"stuck:{finding.InstanceId}:{finding.Kind}",
        "flow.stuck",
        new Dictionary<string, string>(StringComparer.Ordinal) { ["flowId"] = finding.InstanceId, ["severity"] = "High" },
        JsonSerializer.SerializeToElement(finding, StuckFlowJson.Options));
}
