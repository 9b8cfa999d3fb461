using Azure;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging;

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
internal sealed class HubBackendAdapter(IOrchestrationService inner, EngineCounters counters, ILogger? logger = null, Azure.Data.Tables.TableClient? instances = null) : IOrchestrationService
{
    private static readonly TimeSpan FirstAbandonRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastAbandonRetry = TimeSpan.FromSeconds(10);

    /// <summary>DurableTask.AzureStorage's private table of the activity work items it holds (see <see cref="AbandonTaskActivityWorkItemAsync"/>).</summary>
    private static readonly System.Reflection.FieldInfo? ActiveActivitySessions = typeof(DurableTask.AzureStorage.AzureStorageOrchestrationService)
        .GetField("activeActivitySessions", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    /// <summary>DurableTask.AzureStorage's private session manager, and in it the table of orchestration sessions it holds (see <see cref="ReleaseLeakedSessionsAsync"/>).</summary>
    private static readonly System.Reflection.FieldInfo? SessionManager = typeof(DurableTask.AzureStorage.AzureStorageOrchestrationService)
        .GetField("orchestrationSessionManager", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private static readonly System.Reflection.FieldInfo? ActiveOrchestrationSessions = SessionManager?.FieldType
        .GetField("activeOrchestrationSessions", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private static readonly System.Reflection.FieldInfo? SessionLock = SessionManager?.FieldType
        .GetField("messageAndSessionLock", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private readonly object lifecycle = new();

    /// <summary>Calls to take a step now under way: a session is taken for left behind only when the failed call is the only one.</summary>
    private int fetching;
    private volatile bool stopped;
    private Task? started;
    private Task? stopping;

    private const byte Taken = 0;
    private const byte Stored = 1;

    /// <summary>
    /// Work items the hub has taken and not yet handed back (see <see cref="HandBackHeldAsync"/>); a step's value says
    /// whether it was committed (its work item is released after that).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TaskOrchestrationWorkItem, byte> heldOrchestrations = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TaskActivityWorkItem, byte> heldActivities = new();

    /// <summary>
    /// Commits under way (steps the worker answered and activities that finished): the stop waits for them instead of
    /// handing their work items back (see <see cref="HandBackHeldAsync"/>).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, Task> committing = new(ReferenceEqualityComparer.Instance);

    /// <summary>Steps whose start message came again after the history already began (see <see cref="MarkRunningIfPendingAsync"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TaskOrchestrationWorkItem, byte> restarted = new();

    /// <summary>Raised after each committed step with the instance's whole history (the in-memory backend keeps no readable history of its own).</summary>
    public event Action<string, IReadOnlyList<HistoryEvent>>? Committed;

    /// <summary>
    /// The newest flow version this worker runs; a step of a flow started on a newer one is handed back to the backend
    /// untouched (see <see cref="IsNewerThanThisWorker"/>). Null: every version runs.
    /// </summary>
    public string? NewestVersion { get; init; }

    /// <summary>Wakes the backend's pollers when a timer this worker set comes due (Azure Storage only; null: polling alone).</summary>
    public TimerWakeUps? TimerWakeUps { get; init; }

    /// <summary>
    /// The instance ids of the orchestration sessions the backend holds (null: this backend keeps none to look at). A seam
    /// for tests; by default read from DurableTask.AzureStorage's session manager.
    /// </summary>
    internal Func<IReadOnlyCollection<string>>? ActiveSessions { get; init; }

    /// <summary>
    /// Whether a session the backend holds for no work item is released when taking a step fails (see
    /// <see cref="ReleaseLeakedSessionsAsync"/>). Off with extended sessions, where the backend keeps sessions open between
    /// steps on purpose.
    /// </summary>
    public bool ReleasesLeakedSessions { get; init; } = true;

    /// <summary>
    /// Orchestration steps the hub runs at once, when the backend's own limit is not the one to use (null: the
    /// backend's). The in-memory backend says the processor count, and the hub's dispatcher, once that many steps are
    /// running, looks again only every 500 ms: on 2 cores that capped a backlog at about 4 steps a second with the
    /// machine idle.
    /// </summary>
    public int? MaxConcurrentOrchestrations { get; init; }

    /// <summary>Activities the hub runs at once, when the backend's own limit is not the one to use (null: the backend's).</summary>
    public int? MaxConcurrentActivities { get; init; }

    /// <summary>The backend behind this adapter.</summary>
    public IOrchestrationService Inner { get; } = Checked(inner);

    /// <inheritdoc/>
    public int TaskOrchestrationDispatcherCount => Inner.TaskOrchestrationDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskOrchestrationWorkItems => MaxConcurrentOrchestrations ?? Inner.MaxConcurrentTaskOrchestrationWorkItems;

    /// <inheritdoc/>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => Inner.EventBehaviourForContinueAsNew;

    /// <inheritdoc/>
    public int TaskActivityDispatcherCount => Inner.TaskActivityDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskActivityWorkItems => MaxConcurrentActivities ?? Inner.MaxConcurrentTaskActivityWorkItems;

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
        return Committing(workItem, CompleteAsync());

        async Task CompleteAsync()
        {
            await Inner.CompleteTaskOrchestrationWorkItemAsync(
                workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState).ConfigureAwait(false);
            counters.Step();
            if (TimerWakeUps is { } wakeUps && timerMessages is not null)
            {
                foreach (var timer in timerMessages)
                {
                    if (timer.Event is TimerFiredEvent fired)
                    {
                        wakeUps.At(fired.FireAt, timer.OrchestrationInstance?.InstanceId ?? workItem.InstanceId);
                    }
                }
            }

            if (restarted.TryRemove(workItem, out _) && newOrchestrationRuntimeState?.OrchestrationStatus == OrchestrationStatus.Running)
            {
                await MarkRunningIfPendingAsync(workItem.InstanceId).ConfigureAwait(false);
            }

            if (Committed is { } committed && newOrchestrationRuntimeState?.OrchestrationInstance?.InstanceId is { } instanceId)
            {
                committed(instanceId, [.. newOrchestrationRuntimeState.Events]);
            }
        }
    }

    /// <summary>
    /// Hands back every work item the hub took and never finished. The hub stops after the worker, so a work item it
    /// sent to the worker during the stop is never answered; the backend's stop waits for such work to end before it
    /// releases its partitions, and would wait until the host gives up (30 s), leaving the leases to expire. Abandoned,
    /// the messages are visible again for the next worker.
    /// </summary>
    /// <remarks>
    /// A work item whose commit is under way is not one of them: handed back then, its messages would race the commit
    /// that deletes them (and be run again by the next worker if the hand-back won). The stop waits for such commits
    /// first; whatever they leave held (a commit that failed) is handed back after them.
    /// </remarks>
    private async Task HandBackHeldAsync()
    {
        foreach (var commit in committing.Values)
        {
            try
            {
                await commit.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The dispatcher that made the commit saw its failure; its work item is handed back below.
            }
        }

        foreach (var workItem in heldOrchestrations.Where(held => held.Value == Taken && !committing.ContainsKey(held.Key)).Select(held => held.Key))
        {
            await HandBackAsync(() => Inner.AbandonTaskOrchestrationWorkItemAsync(workItem), workItem.InstanceId).ConfigureAwait(false);
            await HandBackAsync(() => Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem), workItem.InstanceId).ConfigureAwait(false);
            heldOrchestrations.TryRemove(workItem, out _);
        }

        foreach (var workItem in heldActivities.Keys.Where(workItem => !committing.ContainsKey(workItem)))
        {
            await HandBackAsync(() => Inner.AbandonTaskActivityWorkItemAsync(workItem), workItem.Id).ConfigureAwait(false);
            heldActivities.TryRemove(workItem, out _);
        }
    }

    private async Task HandBackAsync(Func<Task> handBack, string workItem)
    {
        try
        {
            await handBack().ConfigureAwait(false);
            if (logger is not null)
            {
                DurableHubLog.HandedBack(logger, workItem);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (logger is not null)
            {
                DurableHubLog.HandBackFailed(logger, workItem, ex.Message);
            }
        }
    }

    /// <summary>
    /// Notes <paramref name="commit"/> as under way until it ends. A step's work item stays held after its commit until
    /// the dispatcher releases it (its session is open until then), so it is marked stored: a stop meanwhile must
    /// not hand it back.
    /// </summary>
    private Task Committing(object workItem, Task commit)
    {
        committing[workItem] = commit;
        return EndAsync();

        async Task EndAsync()
        {
            try
            {
                await commit.ConfigureAwait(false);
                if (workItem is TaskOrchestrationWorkItem step)
                {
                    heldOrchestrations.TryUpdate(step, Stored, Taken);
                }
            }
            finally
            {
                committing.TryRemove(workItem, out _);
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

    /// <summary>Starts the backend once; the hub starts it when the worker first connects.</summary>
    public Task StartAsync()
    {
        lock (lifecycle)
        {
            return started ??= Inner.StartAsync();
        }
    }

    /// <inheritdoc/>
    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops the backend once, and only if it started. Never throws: the hub calls this from a fire-and-forget handler
    /// when its host stops (also when no worker ever connected, so the backend never started and DurableTask.AzureStorage
    /// 2.11.3 would throw a NullReferenceException), and an exception there ends the process.
    /// </summary>
    public Task StopAsync(bool isForced)
    {
        lock (lifecycle)
        {
            stopped = true;
            return started is null ? Task.CompletedTask : stopping ??= StopStartedAsync(started, isForced);
        }
    }

    private async Task StopStartedAsync(Task start, bool isForced)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // It never started, so there is nothing to stop; whoever started it saw the failure.
            return;
        }

        try
        {
            await HandBackHeldAsync().ConfigureAwait(false);
            await Inner.StopAsync(isForced).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (logger is not null)
            {
                DurableHubLog.StopFailed(logger, ex.Message, ex);
            }
        }
    }

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

    /// <summary>
    /// True when the step's flow started on a version newer than <see cref="NewestVersion"/>. The worker's own check
    /// (versioning <c>CurrentOrOlder</c> with <c>Reject</c>) would hand such a step back, but the hub's answer to a
    /// worker's hand-back does nothing (read in its code), so the hub would go on waiting, holding the flow; the rule is
    /// applied here instead, before the hub sees the step. The comparison is the SDK's own.
    /// </summary>
    private bool IsNewerThanThisWorker(TaskOrchestrationWorkItem workItem, out string version)
    {
        version = string.Empty;
        if (NewestVersion is null)
        {
            return false;
        }

        var started = workItem.OrchestrationRuntimeState?.ExecutionStartedEvent
            ?? workItem.NewMessages?.Select(m => m.Event).OfType<ExecutionStartedEvent>().FirstOrDefault();
        version = started?.Version ?? string.Empty;
        return Microsoft.DurableTask.Abstractions.TaskOrchestrationVersioningUtils.CompareVersions(version, NewestVersion) > 0;
    }

    /// <summary>
    /// Hands a newer flow's step back: the backend makes its messages visible again after a back-off (Azure Storage:
    /// 2^n seconds on the n-th delivery, at most 10 minutes), and a worker that knows the version runs it then.
    /// </summary>
    private async Task HandBackNewerAsync(TaskOrchestrationWorkItem workItem, string version)
    {
        counters.NewerVersionHandedBack();
        if (logger is not null)
        {
            DurableHubLog.NewerVersionHandedBack(logger, workItem.InstanceId, version, NewestVersion!);
        }

        try
        {
            await Inner.AbandonTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
        }
        finally
        {
            await Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskOrchestrationWorkItem workItem;
        Interlocked.Increment(ref fetching);
        try
        {
            workItem = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ReleasesLeakedSessions && Volatile.Read(ref fetching) == 1)
        {
            await ReleaseLeakedSessionsAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref fetching);
        }

        if (workItem is null)
        {
            counters.EmptyPoll();
        }
        else if (IsNewerThanThisWorker(workItem, out var version))
        {
            await HandBackNewerAsync(workItem, version).ConfigureAwait(false);
            return null!;
        }
        else
        {
            heldOrchestrations.TryAdd(workItem, Taken);
            var startedBefore = workItem.OrchestrationRuntimeState?.ExecutionStartedEvent is not null;
            var dropped = DropRepeatedStarts(workItem);
            if (dropped > 0)
            {
                if (startedBefore)
                {
                    restarted.TryAdd(workItem, 0);
                }

                if (logger is not null)
                {
                    DurableHubLog.RepeatedStartDropped(logger, workItem.InstanceId, dropped);
                }
            }

            if (DropMismatchedResults(workItem) is { Count: > 0 } mismatched && logger is not null)
            {
                DurableHubLog.MismatchedResultsDropped(logger, workItem.InstanceId, mismatched.Count, string.Join(", ", mismatched));
            }
        }

        return workItem!;
    }

    /// <summary>
    /// After taking a step failed: releases every orchestration session the backend holds that no work item holds. The
    /// hub's dispatcher takes steps one at a time (and this runs only when no other call is under way), so such a
    /// session is one the failed call opened and left behind.
    /// </summary>
    /// <remarks>
    /// Met in the 3-worker chaos run of 2026-12-07 03:15 on a saturated Azurite: taking a flow's step, the backend found
    /// a result for a step not yet in the history and put it back (out of order), the put-back failed on storage, and
    /// the backend's <c>LockNextTaskOrchestrationWorkItemAsync</c> threw before it had made a work item, so it never
    /// released the session it had opened (DurableTask.AzureStorage 2.11.3 releases only once a work item exists). Every
    /// later message for that flow joined the dead session and was never run: the worker took the flow's timer message
    /// 36 times in 6 minutes ("Received a duplicate message … dequeue count = 36"), and the flow stood still as long as
    /// the worker held its partition. Such sessions' messages also count against the worker's buffer
    /// (<c>ControlQueueBufferThreshold</c>), so enough of them stop it from reading any of its queues. Released, the
    /// session's waiting messages go back to the backend's buffer and run as a new step; the ones the failed call held
    /// come back when their visibility lapses.
    /// </remarks>
    private async Task ReleaseLeakedSessionsAsync()
    {
        try
        {
            if ((ActiveSessions ?? AzureStorageSessions)() is not { Count: > 0 } active)
            {
                return;
            }

            var held = heldOrchestrations.Keys.Select(w => w.InstanceId).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var instanceId in active.Where(id => !held.Contains(id)))
            {
                await Inner.ReleaseTaskOrchestrationWorkItemAsync(new TaskOrchestrationWorkItem { InstanceId = instanceId }).ConfigureAwait(false);
                if (logger is not null)
                {
                    DurableHubLog.LeakedSessionReleased(logger, instanceId);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The failure being handled is the one the dispatcher must see; this clean-up is second to it.
            if (logger is not null)
            {
                DurableHubLog.LeakedSessionsNotReleased(logger, ex.Message);
            }
        }
    }

    /// <summary>The instance ids of DurableTask.AzureStorage's open orchestration sessions, read under the session manager's own lock; empty for another backend.</summary>
    internal IReadOnlyCollection<string> AzureStorageSessions()
    {
        if (Inner is not DurableTask.AzureStorage.AzureStorageOrchestrationService
            || SessionManager?.GetValue(Inner) is not { } manager
            || ActiveOrchestrationSessions?.GetValue(manager) is not System.Collections.IDictionary sessions
            || SessionLock?.GetValue(manager) is not { } gate)
        {
            return [];
        }

        lock (gate)
        {
            return [.. sessions.Keys.Cast<string>()];
        }
    }

    /// <summary>
    /// Removes from <paramref name="workItem"/>'s new messages every result whose step number names another kind of step
    /// in the instance's history: an activity's result (<see cref="TaskCompletedEvent"/>, <see cref="TaskFailedEvent"/>)
    /// for a number the history gives a timer or a child, a <see cref="TimerFiredEvent"/> for a number it gives an
    /// activity or a child, a child's result for a number it gives an activity or a timer. Returns what it removed
    /// ("TimerFired#2 for TaskScheduled#2"). The backend deletes them from the queue with the rest of the batch.
    /// </summary>
    /// <remarks>
    /// Met in the 3-worker chaos run on a saturated Azurite: two workers ran one step of one flow at the same time (a
    /// lease taken over as expired while its old owner still worked), each from a different result of one activity that
    /// had run twice (one completed, one failed): one went on to activity #2, the other to a retry timer #2. The backend
    /// sends a step's messages before it commits the step's history, so the loser's timer was set although its history
    /// was refused; when it fired, it completed the winner's activity #2 with the timer's number, and the flow failed
    /// ("The JSON value could not be converted to System.Boolean"). The dispatcher matches an answer to its step by
    /// number alone, and the backend's own check (is there a step with that number) lets it through. A
    /// result for a number the history does not have yet is left alone: the backend puts it back until the step is
    /// there. Two activities under one number cannot be told apart (a result names no activity).
    /// </remarks>
    internal static List<string> DropMismatchedResults(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var dropped = new List<string>();
        if (workItem.NewMessages is not { Count: > 0 } messages || workItem.OrchestrationRuntimeState?.Events is not { Count: > 0 } history)
        {
            return dropped;
        }

        var kept = new List<TaskMessage>(messages.Count);
        foreach (var message in messages)
        {
            var (number, expected) = message.Event switch
            {
                TaskCompletedEvent completed => (completed.TaskScheduledId, EventType.TaskScheduled),
                TaskFailedEvent failed => (failed.TaskScheduledId, EventType.TaskScheduled),
                TimerFiredEvent fired => (fired.TimerId, EventType.TimerCreated),
                SubOrchestrationInstanceCompletedEvent child => (child.TaskScheduledId, EventType.SubOrchestrationInstanceCreated),
                SubOrchestrationInstanceFailedEvent child => (child.TaskScheduledId, EventType.SubOrchestrationInstanceCreated),
                _ => (-1, EventType.GenericEvent),
            };
            var step = number < 0 ? null : history.LastOrDefault(e => e.EventId == number && e.EventType is EventType.TaskScheduled or EventType.TimerCreated or EventType.SubOrchestrationInstanceCreated);
            if (step is not null && step.EventType != expected)
            {
                dropped.Add($"{message.Event.EventType}#{number} for {step.EventType}#{number}");
                continue;
            }

            kept.Add(message);
        }

        if (dropped.Count > 0)
        {
            workItem.NewMessages = kept;
        }

        return dropped;
    }

    /// <summary>
    /// Removes from <paramref name="workItem"/>'s new messages every <see cref="ExecutionStartedEvent"/> after the first the
    /// instance has (in its history or earlier in the batch); returns how many. The backend deletes them from the
    /// queue with the rest of the batch when the step commits.
    /// </summary>
    /// <remarks>
    /// Met under load on Azurite: a start message is delivered again after its first delivery was already written to
    /// the history (a step whose commit the backend took for failed, e.g. past its storage timeout, and abandoned). The
    /// dispatcher would add the second <see cref="ExecutionStartedEvent"/> to the state and refuse the instance for good
    /// ("Multiple ExecutionStartedEvent found, potential corruption in state storage"), retrying it forever. The first
    /// start is the flow (a start never replaces a flow); a repeat carries nothing it needs.
    /// </remarks>
    internal static int DropRepeatedStarts(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        if (workItem.NewMessages is not { Count: > 0 } messages)
        {
            return 0;
        }

        var started = workItem.OrchestrationRuntimeState?.ExecutionStartedEvent is not null;
        var kept = new List<TaskMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Event is ExecutionStartedEvent)
            {
                if (started)
                {
                    continue;
                }

                started = true;
            }

            kept.Add(message);
        }

        var dropped = messages.Count - kept.Count;
        if (dropped > 0)
        {
            workItem.NewMessages = kept;
        }

        return dropped;
    }

    /// <inheritdoc/>
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => Inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        restarted.TryRemove(workItem, out _);
        return Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    }

    /// <summary>
    /// After a step whose start message came again (<see cref="DropRepeatedStarts"/>): sets the instance row's
    /// <c>RuntimeStatus</c> to Running if it still says Pending, under the row's ETag.
    /// </summary>
    /// <remarks>
    /// The step that first took the start wrote the history but lost its commit before the instance row, which
    /// therefore kept the Pending the client wrote; the backend sets Running only in the step that carries the start,
    /// and that start is the one dropped. A row left at Pending makes every event for the flow answered "not started
    /// yet" (docs/engine.md) until it ends. The ETag keeps a later step's own write (e.g. Completed) from being
    /// overwritten; a failure here is logged and changes nothing else.
    /// </remarks>
    internal async Task MarkRunningIfPendingAsync(string instanceId)
    {
        if (instances is null)
        {
            return;
        }

        try
        {
            var row = await instances.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(instanceId, string.Empty, ["RuntimeStatus"]).ConfigureAwait(false);
            if (row.HasValue && row.Value is { } entity && entity.GetString("RuntimeStatus") == nameof(OrchestrationStatus.Pending))
            {
                await instances.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(instanceId, string.Empty) { ["RuntimeStatus"] = nameof(OrchestrationStatus.Running) }, entity.ETag, Azure.Data.Tables.TableUpdateMode.Merge).ConfigureAwait(false);
                if (logger is not null)
                {
                    DurableHubLog.PendingRowRepaired(logger, instanceId);
                }
            }
        }
        catch (RequestFailedException ex)
        {
            if (logger is not null)
            {
                DurableHubLog.PendingRowNotRepaired(logger, instanceId, ex.Message);
            }
        }
    }

    /// <inheritdoc/>
    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        restarted.TryRemove(workItem, out _);
        try
        {
            await Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
        }
        finally
        {
            // Held until the backend has let its session go, so ReleaseLeakedSessionsAsync never takes it for a leak.
            heldOrchestrations.TryRemove(workItem, out _);
        }
    }

    /// <inheritdoc/>
    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (workItem is null)
        {
            counters.EmptyPoll();
        }
        else
        {
            heldActivities.TryAdd(workItem, 0);
        }

        return workItem!;
    }

    /// <inheritdoc/>
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => Inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        return Committing(workItem, CompleteAsync());

        async Task CompleteAsync()
        {
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
            heldActivities.TryRemove(workItem, out _);
            counters.Activity();
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The hub abandons an activity whose completion could not be stored, typically in a storage outage, and then the
    /// abandon fails too; but the backend forgets the work item only once an abandon or completion succeeds, and skips
    /// every redelivery of one it still holds ("processed multiple times concurrently"): the activity would never run
    /// again and its flow would wait for ever. So the abandon is retried while storage does not answer (until the backend
    /// stops); and when the message was received again meanwhile (its visibility lapsed during the outage, so its receipt
    /// is stale and no abandon or completion can succeed), the backend is made to forget the work item, and the
    /// redelivery runs the activity again (activities run at least once).
    /// </remarks>
    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var delay = FirstAbandonRetry;
        while (true)
        {
            try
            {
                await Inner.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
                heldActivities.TryRemove(workItem, out _);
                return;
            }
            catch (Exception ex) when (IsStorageUnreachable(ex) && !stopped)
            {
                if (logger is not null)
                {
                    DurableHubLog.AbandonRetrying(logger, workItem.Id, delay, ex.Message);
                }
            }
            catch (Exception ex) when (IsStaleReceipt(ex) && ForgetActivity(workItem.Id))
            {
                heldActivities.TryRemove(workItem, out _);
                if (logger is not null)
                {
                    DurableHubLog.ActivityForgotten(logger, workItem.Id);
                }

                return;
            }

            await Task.Delay(delay).ConfigureAwait(false);
            if (stopped)
            {
                // The backend stops, and its memory of the work item goes with it.
                return;
            }

            delay = delay * 2 < LastAbandonRetry ? delay * 2 : LastAbandonRetry;
        }
    }

    /// <summary>True when <paramref name="exception"/> (or one it wraps) says the message was received again since: its pop receipt no longer matches.</summary>
    internal static bool IsStaleReceipt(Exception? exception) => exception switch
    {
        null => false,
        RequestFailedException { Status: 400, ErrorCode: "PopReceiptMismatch" } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStaleReceipt),
        _ => IsStaleReceipt(exception.InnerException),
    };

    /// <summary>
    /// Makes the Azure Storage backend forget an activity work item it still holds, by removing it from its table of
    /// active activity sessions (private in DurableTask.AzureStorage 2.11.3; its presence is checked when this adapter is
    /// made). False for another backend.
    /// </summary>
    private bool ForgetActivity(string workItemId)
    {
        if (ActiveActivitySessions?.GetValue(Inner) is not System.Collections.IDictionary sessions)
        {
            return false;
        }

        sessions.Remove(workItemId);
        return true;
    }

    private static IOrchestrationService Checked(IOrchestrationService backend) =>
        backend is not DurableTask.AzureStorage.AzureStorageOrchestrationService ? backend
        : ActiveActivitySessions?.FieldType.GetInterface(nameof(System.Collections.IDictionary)) is null
            ? throw new InvalidOperationException("DurableTask.AzureStorage has no table of active activity sessions where this adapter expects it (activeActivitySessions): check the adapter against the backend's version.")
        : ActiveOrchestrationSessions?.FieldType.GetInterface(nameof(System.Collections.IDictionary)) is null || SessionLock is null
            ? throw new InvalidOperationException("DurableTask.AzureStorage has no table of orchestration sessions where this adapter expects it (orchestrationSessionManager.activeOrchestrationSessions, messageAndSessionLock): check the adapter against the backend's version.")
        : backend;

    /// <summary>True when <paramref name="exception"/> (or one it wraps) is storage not answering: no connection, a timeout, 408, 429 or a 5xx.</summary>
    internal static bool IsStorageUnreachable(Exception? exception) => exception switch
    {
        null => false,
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(inner => inner is OperationCanceledException || IsStorageUnreachable(inner)),
        _ => IsStorageUnreachable(exception.InnerException),
    };
}
