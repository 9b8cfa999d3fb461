using DurableTask.Core;
using DurableTask.Core.History;

namespace CinchFlows.DurableHub;

/// <summary>
/// The backend as the in-process gRPC hub sees it: every call passes through, and before a step is committed two things
/// the hub writes that the Azure Storage backend cannot store are rewritten into the plain Durable Task types.
/// </summary>
/// <remarks>
/// Both were found by running the hub (Microsoft.DurableTask.InProcessTestHost 0.2.3-preview.1) on
/// DurableTask.AzureStorage 2.11.3; each has a test that fails without it (docs/engine.md, "The hub's adapter").
/// <list type="bullet">
/// <item>The hub records a started sub-orchestration with its own subclass of
/// <see cref="SubOrchestrationInstanceCreatedEvent"/>; the backend's history serializer writes that as an empty row,
/// and the parent can never be loaded again.</item>
/// <item>The hub hands a child's <see cref="ExecutionStartedEvent.Tags"/> over as the protobuf map it received; the queue
/// message that carries it then cannot be read back. A plain dictionary can.</item>
/// </list>
/// </remarks>
internal sealed class HubOrchestrationService(IOrchestrationService inner, EngineCounters counters) : IOrchestrationService
{
    /// <summary>Raised after each committed step with the instance's whole history (the in-memory backend keeps no readable history of its own).</summary>
    public event Action<string, IReadOnlyList<HistoryEvent>>? Committed;

    /// <summary>The backend behind this adapter.</summary>
    public IOrchestrationService Inner { get; } = inner;

    /// <inheritdoc/>
    public int TaskOrchestrationDispatcherCount => Inner.TaskOrchestrationDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskOrchestrationWorkItems => Inner.MaxConcurrentTaskOrchestrationWorkItems;

    /// <inheritdoc/>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => Inner.EventBehaviourForContinueAsNew;

    /// <inheritdoc/>
    public int TaskActivityDispatcherCount => Inner.TaskActivityDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskActivityWorkItems => Inner.MaxConcurrentTaskActivityWorkItems;

    /// <inheritdoc/>
    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        PlainSubOrchestrationEvents(workItem.OrchestrationRuntimeState);
        if (!ReferenceEquals(newOrchestrationRuntimeState, workItem.OrchestrationRuntimeState))
        {
            PlainSubOrchestrationEvents(newOrchestrationRuntimeState);
        }

        PlainTags(orchestratorMessages);
        return CompleteAsync();

        async Task CompleteAsync()
        {
            await Inner.CompleteTaskOrchestrationWorkItemAsync(
                workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState).ConfigureAwait(false);
            counters.Step();
            if (Committed is { } committed && newOrchestrationRuntimeState?.OrchestrationInstance?.InstanceId is { } instanceId)
            {
                committed(instanceId, [.. newOrchestrationRuntimeState.Events]);
            }
        }
    }

    /// <summary>Replaces every subclass of <see cref="SubOrchestrationInstanceCreatedEvent"/> with the plain type, field for field.</summary>
    internal static void PlainSubOrchestrationEvents(OrchestrationRuntimeState? state)
    {
        if (state is null)
        {
            return;
        }

        var replaced = new Dictionary<HistoryEvent, HistoryEvent>(ReferenceEqualityComparer.Instance);
        Replace(state.Events);
        Replace(state.NewEvents);

        void Replace(IList<HistoryEvent> events)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
                {
                    if (!replaced.TryGetValue(created, out var plain))
                    {
                        plain = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                        {
                            Timestamp = created.Timestamp,
                            IsPlayed = created.IsPlayed,
                            Name = created.Name,
                            Version = created.Version,
                            InstanceId = created.InstanceId,
                            Input = created.Input,
                            ClientSpanId = created.ClientSpanId,
                            Tags = created.Tags is null ? null : new Dictionary<string, string>(created.Tags, StringComparer.Ordinal),
                        };
                        replaced[created] = plain;
                    }

                    events[i] = plain;
                }
            }
        }
    }

    /// <summary>Gives every started child a plain dictionary of tags instead of the map it came with.</summary>
    internal static void PlainTags(IList<TaskMessage>? messages)
    {
        if (messages is null)
        {
            return;
        }

        foreach (var message in messages)
        {
            if (message.Event is ExecutionStartedEvent started && started.Tags is { } tags && tags.GetType() != typeof(Dictionary<string, string>))
            {
                started.Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal);
            }
        }
    }

    /// <inheritdoc/>
    public Task StartAsync() => Inner.StartAsync();

    /// <inheritdoc/>
    public Task StopAsync() => Inner.StopAsync();

    /// <inheritdoc/>
    public Task StopAsync(bool isForced) => Inner.StopAsync(isForced);

    /// <inheritdoc/>
    public Task CreateAsync() => Inner.CreateAsync();

    /// <inheritdoc/>
    public Task CreateAsync(bool recreateInstanceStore) => Inner.CreateAsync(recreateInstanceStore);

    /// <inheritdoc/>
    public Task CreateIfNotExistsAsync() => Inner.CreateIfNotExistsAsync();

    /// <inheritdoc/>
    public Task DeleteAsync() => Inner.DeleteAsync();

    /// <inheritdoc/>
    public Task DeleteAsync(bool deleteInstanceStore) => Inner.DeleteAsync(deleteInstanceStore);

    /// <inheritdoc/>
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        Inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => Inner.GetDelayInSecondsAfterOnProcessException(exception);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => Inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <inheritdoc/>
    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (workItem is null)
        {
            counters.EmptyPoll();
        }

        return workItem!;
    }

    /// <inheritdoc/>
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => Inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (workItem is null)
        {
            counters.EmptyPoll();
        }

        return workItem!;
    }

    /// <inheritdoc/>
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => Inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
        counters.Activity();
    }

    /// <inheritdoc/>
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => Inner.AbandonTaskActivityWorkItemAsync(workItem);
}
