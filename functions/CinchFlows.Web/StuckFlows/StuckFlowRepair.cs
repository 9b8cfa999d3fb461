using Azure;
using Azure.Data.Tables;
using CinchFlows.Storage;
using CinchFlows.Web.Management;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.StuckFlows;

/// <summary>
/// The one repair offered for a stuck flow: a flow whose history ended while its status row still says Pending or
/// Running gets its row rewritten from the history (status, output, completed time), under the row's ETag, and who did
/// it is recorded. Only on the Azure Storage backend (the in-memory engine commits both at once), only after the
/// person confirmed, never on its own.
/// </summary>
internal sealed class StuckFlowRepair(
    DurableTaskClient client,
    IInstanceHistory history,
    IStuckFlowLedger ledger,
    TimeProvider timeProvider,
    ILogger<StuckFlowRepair> logger,
    AppStorage? storage)
{
    /// <summary>How a repair went.</summary>
    internal enum Outcome
    {
        /// <summary>The row now says what the history says.</summary>
        Repaired,

        /// <summary>No such flow.</summary>
        NotFound,

        /// <summary>Nothing to repair: the row is finished already, or the history has not ended.</summary>
        NotRepairable,

        /// <summary>The row changed while it was being repaired: look again.</summary>
        Changed,
    }

    /// <summary>The result: what happened, the row's status before and after, and why when it was not repaired.</summary>
    internal sealed record Result(Outcome Outcome, string? From = null, string? To = null, string? Why = null);

    /// <summary>Rewrites the flow's status row from its ended history, recording <paramref name="by"/>.</summary>
    public async Task<Result> RepairAsync(string instanceId, string by, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return new Result(Outcome.NotFound);
        }

        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running))
        {
            return new Result(Outcome.NotRepairable, instance.RuntimeStatus.ToString(), Why: $"Its status row says {instance.RuntimeStatus} already: nothing to repair.");
        }

        var summary = StuckFlowRules.Summarise(await history.GetAsync(instanceId, cancellationToken).ConfigureAwait(false));
        if (summary.EndedAs is not { } ended)
        {
            return new Result(Outcome.NotRepairable, instance.RuntimeStatus.ToString(), Why: "Its history has not ended: the flow may still move. Rewriting its row would hide it; see docs/operations.md for a flow that is overdue.");
        }

        if (storage is null)
        {
            return new Result(Outcome.NotRepairable, instance.RuntimeStatus.ToString(), Why: "The in-memory engine writes history and status together; there is no row to repair.");
        }

        var instances = storage.EngineTable("Instances", "stuck-flows");
        var row = await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is not { } entity)
        {
            return new Result(Outcome.NotFound);
        }

        var from = entity.GetString("RuntimeStatus") ?? "unknown";
        if (from is not ("Pending" or "Running"))
        {
            return new Result(Outcome.NotRepairable, from, Why: $"Its status row says {from} already: nothing to repair.");
        }

        var endedAt = (summary.EndedAt ?? timeProvider.GetUtcNow()).UtcDateTime;
        var update = new TableEntity(instanceId, string.Empty)
        {
            ["RuntimeStatus"] = ended,
            ["CompletedTime"] = endedAt,
            ["LastUpdatedTime"] = endedAt,
        };
        if (summary.Output is not null)
        {
            update["Output"] = summary.Output;
        }

        try
        {
            await instances.UpdateEntityAsync(update, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return new Result(Outcome.Changed, from, Why: "The status row changed while it was being repaired: check the flow again.");
        }

        await ledger.RecordRepairAsync(instanceId, by, ended, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        logger.Repaired(instanceId, from, ended, by);
        return new Result(Outcome.Repaired, from, ended);
    }
}
