using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Flows.Starts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Management;

/// <summary>
/// The management API's operations on <see cref="DurableTaskClient"/>, with the answers docs/api.md §5 promises and the
/// SDK leaves to the caller: an unknown instance and a finished one are told apart before an event or control request
/// (the SDK drops those silently), a purge refuses a running instance, a start never replaces a flow, and the list is
/// newest first across pages.
/// </summary>
internal sealed class ManagedInstances(DurableTaskClient client, IStartClaims claims, IInstanceHistory history, OrchestratorCatalog catalog)
{
    /// <summary>Instances one list request reads at most to sort them (see <see cref="ListAsync"/>).</summary>
    public const int MaxScanned = 100_000;

    /// <summary>The registered orchestrator named <paramref name="name"/> (exact case first), or null.</summary>
    public string? FindOrchestrator(string name) => catalog.Find(name);

    /// <summary>Starts an instance unless one with that id exists (then nothing changes, and the answer is the same).</summary>
    public Task<StartResult> StartAsync(string orchestrator, object? input, string instanceId, CancellationToken cancellationToken) =>
        FlowStarts.StartOnceAsync(client, claims, orchestrator, input, instanceId, cancellationToken);

    /// <summary>The instance with its input and output, or null.</summary>
    public Task<OrchestrationMetadata?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);

    /// <summary>The instance's history events, oldest first.</summary>
    public Task<IReadOnlyList<JsonObject>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken) =>
        history.GetAsync(instanceId, cancellationToken);

    /// <summary>
    /// One page of instances, newest first (then by id), continuing after the request's continuation token.
    /// </summary>
    /// <remarks>
    /// The backend lists instances by id, so the order is made here: every instance that matches the filters is read
    /// without its payloads (on a later page only those created no later than where the last page ended), sorted, and
    /// the page's own instances are then read with their payloads. Narrow big hubs with <c>createdTimeFrom</c>.
    /// </remarks>
    /// <exception cref="FormatException">The token is not one this API gave out.</exception>
    public async Task<(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken)> ListAsync(
        InstanceListRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var after = request.ContinuationToken is { } token ? ListCursor.Parse(token) : null;
        var filter = request.Query with
        {
            FetchInputsAndOutputs = false,
            PageSize = 1000,
            CreatedTo = after is null ? request.Query.CreatedTo : Earliest(request.Query.CreatedTo, after.CreatedAt),
        };
        var matches = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(filter).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (after is null || after.IsBefore(instance))
            {
                matches.Add(instance);
                if (matches.Count >= MaxScanned)
                {
                    break;
                }
            }
        }

        var page = matches
            .OrderByDescending(i => i.CreatedAt)
            .ThenBy(i => i.InstanceId, StringComparer.Ordinal)
            .Take(request.Query.PageSize + 1)
            .ToList();
        var more = page.Count > request.Query.PageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var full = await Task.WhenAll(page.Select(async i => await GetAsync(i.InstanceId, cancellationToken).ConfigureAwait(false) ?? i)).ConfigureAwait(false);
        return (full, more ? new ListCursor(page[^1].CreatedAt, page[^1].InstanceId).ToString() : null);
    }

    /// <summary>Raises an event on a running instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceFinishedException">It has finished.</exception>
    /// <exception cref="FlowInputException">The flow waits for no such event, or the data is not its payload (nothing is sent).</exception>
    public async Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        var instance = await RequireOpenAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (ManagedInput.CheckEvent(instance.Name, eventName, payload as System.Text.Json.JsonElement?) is { } refusal)
        {
            throw new FlowInputException(refusal);
        }

        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Terminates a running instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceFinishedException">It has finished.</exception>
    public async Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        await RequireOpenAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions { Output = reason }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Suspends a running instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceFinishedException">It has finished.</exception>
    public async Task SuspendAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        await RequireOpenAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await client.SuspendInstanceAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resumes a suspended instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceFinishedException">It has finished.</exception>
    public async Task ResumeAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        await RequireOpenAsync(instanceId, cancellationToken).ConfigureAwait(false);
        await client.ResumeInstanceAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a finished instance and its history; returns how many were deleted (0: none known).</summary>
    /// <exception cref="InstanceStillRunningException">It has not finished: terminate it first.</exception>
    public async Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return 0;
        }

        // The backend would also purge a running instance and leave its messages to fail; refused on purpose.
        if (!FlowStatuses.IsFinished(instance.RuntimeStatus))
        {
            throw new InstanceStillRunningException(instanceId, instance.RuntimeStatus);
        }

        var result = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken).ConfigureAwait(false);
        history.Forget(instanceId);
        return result.PurgedInstanceCount;
    }

    private async Task<OrchestrationMetadata> RequireOpenAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false)
            ?? throw new InstanceNotFoundException(instanceId);
        if (FlowStatuses.IsFinished(instance.RuntimeStatus))
        {
            throw new InstanceFinishedException(instanceId, instance.RuntimeStatus);
        }

        return instance;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>Where a page ended: the last instance's creation time and id, as an opaque token.</summary>
    private sealed record ListCursor(DateTimeOffset CreatedAt, string InstanceId)
    {
        public static ListCursor Parse(string token)
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || !long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || bar == text.Length - 1)
            {
                throw new FormatException("Not a continuation token of this API.");
            }

            return new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(bar + 1)..]);
        }

        /// <summary>True if <paramref name="instance"/> comes after this cursor in newest-first order.</summary>
        public bool IsBefore(OrchestrationMetadata instance) =>
            instance.CreatedAt < CreatedAt || (instance.CreatedAt == CreatedAt && string.CompareOrdinal(instance.InstanceId, InstanceId) > 0);

        public override string ToString() =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}|{InstanceId}")));
    }
}
