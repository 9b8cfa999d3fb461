using System.Runtime.CompilerServices;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Worker;

namespace CinchFlows.Durable.Client;

/// <summary>Starts, queries and controls orchestration instances (Durable's <c>DurableTaskClient</c>).</summary>
public sealed class DurableTaskClient
{
    private readonly IOrchestrationStore store;
    private readonly TimeProvider timeProvider;
    private readonly WorkSignal signal;
    private readonly LocalStarts? localStarts;

    /// <summary>Creates a client over a store; with <paramref name="localStarts"/>, a worker polling in this process steps new instances without a queue round trip.</summary>
    public DurableTaskClient(IOrchestrationStore store, TimeProvider timeProvider, WorkSignal signal, LocalStarts? localStarts = null)
    {
        this.store = store;
        this.timeProvider = timeProvider;
        this.signal = signal;
        this.localStarts = localStarts;
    }

    /// <summary>
    /// Starts an orchestration. With a caller-given id that already exists, nothing changes and the id is returned:
    /// a redelivered trigger never starts a second flow.
    /// </summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await StartAsync(orchestratorName, input, options, cancellationToken).ConfigureAwait(false);
        return result.InstanceId;
    }

    /// <summary>Like <see cref="ScheduleNewOrchestrationInstanceAsync"/>, also telling whether this call created the instance.</summary>
    public async Task<StartResult> StartAsync(
        string orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        InstanceIds.Validate(instanceId, nameof(options));

        var now = timeProvider.GetUtcNow();
        var serializedInput = DurableJson.Serialize(input);
        var startAt = options?.StartAt is { } requested && requested > now ? requested : (DateTimeOffset?)null;
        var executionId = Guid.NewGuid().ToString("N");
        var wake = DurableTracing.Stamp(new WorkMessage(Guid.NewGuid().ToString("N"), WorkMessageKind.Orchestration, instanceId, new WakeUpEvent { Timestamp = now })
        {
            VisibleAt = startAt,
            ExecutionId = executionId,
        });
        var record = new InstanceRecord
        {
            InstanceId = instanceId,
            Name = orchestratorName,
            RuntimeStatus = OrchestrationRuntimeStatus.Pending,
            Input = serializedInput,
            CreatedTime = now,
            LastUpdatedTime = now,
            HistoryChunks = 1,
            HistoryEventCount = 1,
            Outbox = [wake],
            ScheduledStartTime = startAt,
            WaitingFor = startAt is null ? null : FormattableString.Invariant($"start at {startAt:yyyy-MM-ddTHH:mm:ssZ}"),
            WaitingSince = startAt is null ? null : now,
        };
        var started = new ExecutionStartedEvent(orchestratorName, serializedInput) { Timestamp = now, ExecutionId = executionId };
        var outcome = await store.CommitAsync(new InstanceCommit(record, [started], ExpectedETag: null), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return new StartResult(instanceId, Created: false);
        }

        if (options?.ConfirmNew is { } confirm && !await confirm(cancellationToken).ConfigureAwait(false))
        {
            // Nothing has run it: its wake message is only in its outbox, which the sweeper would not touch for a while yet.
            await store.PurgeAsync(instanceId, cancellationToken).ConfigureAwait(false);
            return new StartResult(instanceId, Created: false);
        }

        // The wake message is in the outbox: if this send (or the local step) is lost, the sweeper sends it again.
        if (localStarts?.TryHandOff(new InstanceSnapshot(record, [started], outcome.NewETag!), wake) == true)
        {
            return new StartResult(instanceId, Created: true);
        }

        await store.SendAsync(wake, cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        return new StartResult(instanceId, Created: true);
    }

    /// <summary>Gets an instance's status, or null if unknown.</summary>
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return null;
        }

        var record = await store.GetRecordAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : new OrchestrationMetadata(record, getInputsAndOutputs);
    }

    /// <summary>Gets an instance's history, or null if unknown.</summary>
    public async Task<IReadOnlyList<HistoryEvent>?> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return null;
        }

        var snapshot = await store.LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return snapshot?.History;
    }

    /// <summary>Lists one page of instances.</summary>
    public async Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await store.QueryAsync(
            new InstanceQuery
            {
                RuntimeStatus = query.Statuses,
                CreatedFrom = query.CreatedFrom,
                CreatedTo = query.CreatedTo,
                InstanceIdPrefix = query.InstanceIdPrefix,
                PageSize = query.PageSize,
                FetchInputsAndOutputs = query.FetchInputsAndOutputs,
            },
            continuationToken,
            cancellationToken).ConfigureAwait(false);
        return new OrchestrationQueryPage(
            [.. page.Instances.Select(r => new OrchestrationMetadata(r, query.FetchInputsAndOutputs))],
            page.ContinuationToken);
    }

    /// <summary>Lists all instances matching the query, page by page.</summary>
    public async IAsyncEnumerable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new OrchestrationQuery();
        string? token = null;
        do
        {
            var page = await QueryInstancesAsync(query, token, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                yield return instance;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Sends an event to a running (or pending or suspended) instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceFinishedException">The instance has finished.</exception>
    /// <exception cref="PayloadTooLargeException">The event does not fit in a queue message.</exception>
    public Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var payload = DurableJson.Serialize(eventPayload);
        return SendToLiveInstanceAsync(instanceId, now => new EventRaisedEvent(eventName, payload) { Timestamp = now }, cancellationToken);
    }

    /// <summary>Stops an instance; its status becomes Terminated with the reason as output.</summary>
    public Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendToLiveInstanceAsync(instanceId, now => new ExecutionTerminatedEvent(reason) { Timestamp = now }, cancellationToken);

    /// <summary>Holds an instance: events are kept until it resumes.</summary>
    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendToLiveInstanceAsync(instanceId, now => new ExecutionSuspendedEvent(reason) { Timestamp = now }, cancellationToken);

    /// <summary>Resumes a suspended instance.</summary>
    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendToLiveInstanceAsync(instanceId, now => new ExecutionResumedEvent(reason) { Timestamp = now }, cancellationToken);

    /// <summary>Deletes a finished instance and its history.</summary>
    /// <exception cref="InstanceStillRunningException">The instance has not finished.</exception>
    public async Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return new PurgeResult(0);
        }

        var record = await store.GetRecordAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new PurgeResult(0);
        }

        if (!record.IsTerminal)
        {
            throw new InstanceStillRunningException(instanceId, record.RuntimeStatus);
        }

        return new PurgeResult(await store.PurgeAsync(instanceId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Waits until the instance completes, fails or is terminated (polling with back-off on the wall clock).</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken).ConfigureAwait(false)
                ?? throw new InstanceNotFoundException(instanceId);
            if (metadata.IsCompleted)
            {
                return metadata;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    private async Task SendToLiveInstanceAsync(string instanceId, Func<DateTimeOffset, HistoryEvent> createEvent, CancellationToken cancellationToken)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            throw new InstanceNotFoundException(instanceId);
        }

        var record = await store.GetRecordAsync(instanceId, cancellationToken).ConfigureAwait(false)
            ?? throw new InstanceNotFoundException(instanceId);
        if (record.IsTerminal)
        {
            throw new InstanceFinishedException(instanceId, record.RuntimeStatus);
        }

        var messageId = Guid.NewGuid().ToString("N");
        var @event = createEvent(timeProvider.GetUtcNow()) with { MessageId = messageId };
        await store.SendAsync(DurableTracing.Stamp(new WorkMessage(messageId, WorkMessageKind.Orchestration, instanceId, @event)), cancellationToken).ConfigureAwait(false);
        signal.Pulse();
    }
}
