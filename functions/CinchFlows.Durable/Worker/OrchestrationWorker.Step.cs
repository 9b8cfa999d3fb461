using CinchFlows.Durable.Engine;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Durable.Worker;

/// <summary>One orchestration step: load (or use the cache), replay, commit atomically, dispatch the outbox.</summary>
public sealed partial class OrchestrationWorker
{
    /// <summary>Adds the messages' events to the instance's history and runs the orchestration one step.</summary>
    internal async Task StepAsync(string instanceId, IReadOnlyList<WorkMessage> messages, CancellationToken cancellationToken)
    {
        using var _ = await instanceLocks.AcquireAsync(instanceId, cancellationToken).ConfigureAwait(false);
        using var span = DurableTracing.StartStep(instanceId, messages);
        for (var attempt = 1; ; attempt++)
        {
            var cached = cache.Get(instanceId);
            var snapshot = cached?.Snapshot ?? await store.LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
            var dispatched = cached?.Dispatched ?? [];
            var now = timeProvider.GetUtcNow();

            InstanceRecord record;
            IReadOnlyList<HistoryEvent> past;
            var newEvents = new List<HistoryEvent>();
            if (snapshot is null)
            {
                var start = messages.Select(m => m.Event).OfType<ExecutionStartedEvent>().FirstOrDefault();
                if (start is null)
                {
                    WorkerLog.DroppedForUnknownInstance(logger, instanceId, messages.Count);
                    return;
                }

                record = new InstanceRecord
                {
                    InstanceId = instanceId,
                    Name = start.Name,
                    RuntimeStatus = OrchestrationRuntimeStatus.Pending,
                    Input = start.Input,
                    CreatedTime = now,
                    LastUpdatedTime = now,
                    ParentInstanceId = start.ParentInstanceId,
                };
                past = [];
                newEvents.Add(start);
            }
            else
            {
                record = snapshot.Record;
                past = snapshot.History;
                var foreign = ForeignStarts(past, messages);
                if (foreign.Count > 0)
                {
                    if (cached is not null)
                    {
                        // Tell a parent "taken" only on what storage says, never on a cache that may predate a purge.
                        cache.Remove(instanceId);
                        continue;
                    }

                    await RefuseForeignStartsAsync(record, foreign, cancellationToken).ConfigureAwait(false);
                }

                if (record.IsTerminal)
                {
                    return;
                }
            }

            // Before a delayed start only suspend and terminate act at once (a flow may be held or cancelled before it
            // runs); a resume, an event, the wake itself wait for the start time, so the code never runs early.
            if (record.ScheduledStartTime is { } startAt && startAt > now && !record.IsTerminal
                && !messages.All(m => m.Event is ExecutionTerminatedEvent or ExecutionSuspendedEvent)
                && !messages.Any(m => m.Event is ExecutionTerminatedEvent))
            {
                throw new StartNotDueException(instanceId, startAt);
            }

            var fresh = Deduplicate(past.Count > 0 ? past : newEvents, messages, now, out var droppedForAbsence);
            if (cached is not null && (droppedForAbsence || (fresh.Count == 0 && record.RuntimeStatus != OrchestrationRuntimeStatus.Pending)))
            {
                // A step that would drop results or change nothing writes nothing, so no ETag check would catch a stale
                // cache: another worker may have moved the instance on, or it may have been purged and started again.
                // Only storage can tell a repeat from news, and dropping news would leave the flow waiting forever.
                // (A Pending instance's first step always writes, so its ETag check covers a stale cache.)
                cache.Remove(instanceId);
                continue;
            }

            if (snapshot is not null && fresh.Count == 0 && record.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                return;
            }

            newEvents.Add(new OrchestratorStartedEvent { Timestamp = now });
            newEvents.AddRange(fresh);
            var step = Execute(record.Name, instanceId, past, newEvents);
            var next = NextRecord(record, step, messages, dispatched, now, ParkTimersDueAfter);
            var outcome = await store.CommitAsync(new InstanceCommit(next, step.NewEvents, snapshot?.ETag), cancellationToken).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                cache.Remove(instanceId);
                metrics.Conflict();
                WorkerLog.StepConflict(logger, instanceId, attempt);
                if (attempt >= options.MaxConflictRetries)
                {
                    throw new InvalidOperationException($"Instance '{instanceId}' kept changing under this worker ({attempt} ETag conflicts in a row).");
                }

                continue;
            }

            if (snapshot is null)
            {
                // Other parents' (or the same parent's other calls') starts for this id, in the batch that created it.
                var created = (ExecutionStartedEvent)newEvents[0];
                var rivals = messages.Select(m => m.Event).OfType<ExecutionStartedEvent>()
                    .Where(s => !ReferenceEquals(s, created) && s.ParentInstanceId is not null
                        && (s.ParentInstanceId != created.ParentInstanceId || s.ParentTaskId != created.ParentTaskId || s.ParentExecutionId != created.ParentExecutionId))
                    .ToList();
                if (rivals.Count > 0)
                {
                    await RefuseForeignStartsAsync(next, rivals, cancellationToken).ConfigureAwait(false);
                }
            }

            metrics.StepCommitted(record.Name);
            span?.SetTag("cinchflows.orchestration", record.Name);
            span?.SetTag("cinchflows.runtime_status", next.RuntimeStatus.ToString());
            if (record.RuntimeStatus == OrchestrationRuntimeStatus.Pending && next.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                // The client writes a start as Pending; the first step that runs it is when it starts.
                metrics.OrchestrationStarted(record.Name);
            }

            if (next.IsTerminal && !record.IsTerminal)
            {
                metrics.OrchestrationFinished(record.Name, next.RuntimeStatus);
            }

            foreach (var fired in fresh.OfType<TimerFiredEvent>())
            {
                metrics.TimerFired(now - fired.FireAt);
            }

            WorkerLog.StepCommitted(logger, instanceId, record.Name, next.RuntimeStatus, step.NewEvents.Count, step.Messages.Count);
            if (step.Failure is { } failure)
            {
                WorkerLog.OrchestrationFailed(logger, instanceId, failure.ErrorType, failure.ErrorMessage);
            }

            var committed = new CachedInstance(new InstanceSnapshot(next, [.. past, .. step.NewEvents], outcome.NewETag!), []);
            cache.Set(committed);
            if (next.NextTimerAt is { } timerAt && timerAt - now <= options.SweepInterval + options.SweepInterval)
            {
                // Later timers are picked up by the sweeper as they come near, which keeps this set small.
                wakeUps.Schedule(timerAt);
            }

            if (!SkipDispatchAfterCommit)
            {
                try
                {
                    await DispatchAsync(committed, step.Messages, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The step is committed: the message that caused it is done. What did not go out is still in the
                    // outbox for the sweeper; failing here would redeliver, and in the end poison, a handled message.
                    cache.Remove(instanceId);
                    WorkerLog.DispatchFailed(logger, ex, "(after commit)", instanceId);
                }
            }

            return;
        }
    }

    /// <summary>Marks an instance Failed with the given cause (used when its message was poisoned); a poisoned start of a child that never came to exist fails the parent's call instead.</summary>
    internal async Task FailInstanceAsync(WorkMessage cause, TaskFailureDetails failure, CancellationToken cancellationToken)
    {
        var instanceId = cause.InstanceId;
        using var _ = await instanceLocks.AcquireAsync(instanceId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt <= options.MaxConflictRetries; attempt++)
        {
            cache.Remove(instanceId);
            var snapshot = await store.LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (snapshot is null && cause.Event is ExecutionStartedEvent { ParentInstanceId: not null } start)
            {
                await NotifyParentOfFailureAsync(instanceId, start, failure, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (snapshot is null || snapshot.Record.IsTerminal)
            {
                return;
            }

            var run = snapshot.History.OfType<ExecutionStartedEvent>().FirstOrDefault();
            if (cause.ExecutionId is { } target && run?.ExecutionId is { } current && target != current)
            {
                // The poisoned message belonged to an earlier run of this id: this run did nothing wrong.
                return;
            }

            if (cause.Event is ExecutionStartedEvent { ParentInstanceId: not null } rival && ForeignStarts(snapshot.History, [cause]).Count > 0)
            {
                // A parent's start for an id another flow owns: the parent is told, the owner left alone.
                await NotifyParentOfFailureAsync(instanceId, rival, failure, cancellationToken).ConfigureAwait(false);
                return;
            }

            var now = timeProvider.GetUtcNow();
            var started = snapshot.History.OfType<ExecutionStartedEvent>().FirstOrDefault();
            var messages = new List<WorkMessage>();
            if (started is { ParentInstanceId: { } parentId, ParentTaskId: { } parentTaskId })
            {
                var id = $"{instanceId}:completed";
                messages.Add(new WorkMessage(id, WorkMessageKind.Orchestration, parentId, new SubOrchestrationFailedEvent(parentTaskId, failure) { Timestamp = now, MessageId = id })
                {
                    ExecutionId = started.ParentExecutionId,
                });
            }

            var step = new OrchestrationStep
            {
                NewEvents = [new OrchestratorStartedEvent { Timestamp = now }, new ExecutionCompletedEvent(OrchestrationRuntimeStatus.Failed, null, failure) { Timestamp = now }],
                Messages = messages,
                Status = OrchestrationRuntimeStatus.Failed,
                Failure = failure,
                CustomStatus = snapshot.Record.CustomStatus,
            };
            var next = NextRecord(snapshot.Record, step, [], [], now, ParkTimersDueAfter);
            var outcome = await store.CommitAsync(new InstanceCommit(next, step.NewEvents, snapshot.ETag), cancellationToken).ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                WorkerLog.OrchestrationFailed(logger, instanceId, failure.ErrorType, failure.ErrorMessage);
                await DispatchAsync(new CachedInstance(new InstanceSnapshot(next, [], outcome.NewETag!), []), messages, cancellationToken).ConfigureAwait(false);
                return;
            }

            metrics.Conflict();
        }
    }

    private static List<HistoryEvent> Deduplicate(IReadOnlyList<HistoryEvent> past, IReadOnlyList<WorkMessage> messages, DateTimeOffset now, out bool droppedForAbsence)
    {
        droppedForAbsence = false;
        var run = past.OfType<ExecutionStartedEvent>().FirstOrDefault()?.ExecutionId;
        var seenMessages = past.Select(e => e.MessageId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var scheduled = past.Select(HistoryEventIds.ActionId).Where(id => id >= 0).ToHashSet();
        var finished = past.Select(HistoryEventIds.CompletionId).Where(id => id >= 0).ToHashSet();

        // Suspend and resume apply in the order clients asked for them, not the order the queue hands them out: each
        // keeps the client's timestamp, and one older than the last applied is stale.
        var lastControl = past.Where(e => e is ExecutionSuspendedEvent or ExecutionResumedEvent).Select(e => e.Timestamp).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var fresh = new List<HistoryEvent>();
        foreach (var message in messages)
        {
            var e = message.Event;
            if (e is WakeUpEvent or ExecutionStartedEvent)
            {
                continue;
            }

            if (message.ExecutionId is { } target && run is not null && target != run)
            {
                // Meant for another run of this id (one since purged): its timers and results must not leak in here.
                droppedForAbsence = true;
                continue;
            }

            var completes = HistoryEventIds.CompletionId(e);
            if (completes >= 0)
            {
                // A result for a task that already finished (redelivered, or re-sent by the sweeper) changes nothing.
                if (!scheduled.Contains(completes))
                {
                    droppedForAbsence = true;
                    continue;
                }

                if (!finished.Add(completes))
                {
                    continue;
                }
            }
            else if (!seenMessages.Add(e.MessageId ?? message.Id))
            {
                continue;
            }

            if (e is ExecutionSuspendedEvent or ExecutionResumedEvent)
            {
                if (e.Timestamp < lastControl)
                {
                    continue;
                }

                lastControl = e.Timestamp;
                fresh.Add(e with { MessageId = e.MessageId ?? message.Id });
                continue;
            }

            fresh.Add(e with { Timestamp = now, MessageId = e.MessageId ?? message.Id });
        }

        return fresh;
    }

    private OrchestrationStep Execute(string name, string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents)
    {
        if (!registry.Orchestrators.TryGetValue(name, out var type))
        {
            var failure = new TaskFailureDetails("OrchestratorNotFound", $"No orchestrator named '{name}' is registered with this worker.");
            var now = newEvents.OfType<OrchestratorStartedEvent>().Last().Timestamp;
            return new OrchestrationStep
            {
                NewEvents = [.. newEvents, new ExecutionCompletedEvent(OrchestrationRuntimeStatus.Failed, null, failure) { Timestamp = now }],
                Messages = [],
                Status = OrchestrationRuntimeStatus.Failed,
                Failure = failure,
            };
        }

        var code = (ITaskOrchestrator)services.GetRequiredService(type);
        return new ReplayOrchestrationContext(name, instanceId, loggerFactory).Execute(code, past, newEvents);
    }

    private static InstanceRecord NextRecord(InstanceRecord record, OrchestrationStep step, IReadOnlyList<WorkMessage> consumed, HashSet<string> dispatched, DateTimeOffset now, TimeSpan parkTimersDueAfter)
    {
        var consumedIds = consumed.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var finishedTasks = step.NewEvents.Select(HistoryEventIds.CompletionId).Where(id => id >= 0).ToHashSet();
        var terminal = step.Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
        var kept = record.Outbox.Where(m =>
            !consumedIds.Contains(m.Id)
            && !dispatched.Contains(m.Id)
            && !(m.Event is TaskScheduledEvent s && finishedTasks.Contains(s.TaskId))
            && !(m.Event is TimerFiredEvent t && finishedTasks.Contains(t.TimerId))
            && !(m.Event is ExecutionStartedEvent { ParentTaskId: { } p } && finishedTasks.Contains(p))

            // A finished instance needs no more activities or timers of its own; messages to others still go out.
            && !(terminal && m.InstanceId == record.InstanceId));
        return record with
        {
            RuntimeStatus = step.Status,
            Output = step.Output,
            Failure = step.Failure,
            CustomStatus = step.CustomStatus,
            LastUpdatedTime = now,
            HistoryChunks = step.NewEvents.Count > 0 ? record.HistoryChunks + 1 : record.HistoryChunks,
            HistoryEventCount = record.HistoryEventCount + step.NewEvents.Count,
            Outbox = [.. kept, .. step.Messages.Select(m => m.ForOutbox() with { Parked = IsFarTimer(m, now + parkTimersDueAfter) })],
            NextTimerAt = step.NextTimerAt,
            WaitingFor = WaitingFor(record, step, now),
            WaitingSince = WaitingFor(record, step, now) is not { } waiting ? null : waiting == record.WaitingFor ? record.WaitingSince ?? now : now,
        };
    }

    private static List<ExecutionStartedEvent> ForeignStarts(IReadOnlyList<HistoryEvent> past, IReadOnlyList<WorkMessage> messages)
    {
        var own = past.OfType<ExecutionStartedEvent>().FirstOrDefault();
        return [.. messages.Select(m => m.Event).OfType<ExecutionStartedEvent>()
            .Where(s => s.ParentInstanceId is not null
                && (s.ParentInstanceId != own?.ParentInstanceId || s.ParentTaskId != own?.ParentTaskId || s.ParentExecutionId != own?.ParentExecutionId))];
    }

    private static string? WaitingFor(InstanceRecord record, OrchestrationStep step, DateTimeOffset now) =>
        step.WaitingFor ?? (record.ScheduledStartTime is { } startAt && startAt > now && step.Status == OrchestrationRuntimeStatus.Suspended
            ? FormattableString.Invariant($"start at {startAt:yyyy-MM-ddTHH:mm:ssZ}")
            : null);

    private async Task RefuseForeignStartsAsync(InstanceRecord record, IReadOnlyList<ExecutionStartedEvent> starts, CancellationToken cancellationToken)
    {
        // A parent asking to start a child whose id is already taken (by another parent, another call of the same
        // parent, or a flow of its own) must be told, or it would wait forever.
        foreach (var start in starts)
        {
            var failure = new TaskFailureDetails("InstanceExists", $"An orchestration with id '{record.InstanceId}' already exists ({record.RuntimeStatus}); sub-orchestrations need ids of their own.");
            await NotifyParentOfFailureAsync(record.InstanceId, start, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task NotifyParentOfFailureAsync(string childId, ExecutionStartedEvent start, TaskFailureDetails failure, CancellationToken cancellationToken)
    {
        var id = $"{childId}:refused:{start.ParentInstanceId}:{start.ParentTaskId}";
        return store.SendAsync(
            new WorkMessage(id, WorkMessageKind.Orchestration, start.ParentInstanceId!, new SubOrchestrationFailedEvent(start.ParentTaskId ?? -1, failure) { Timestamp = timeProvider.GetUtcNow(), MessageId = id })
            {
                ExecutionId = start.ParentExecutionId,
            },
            cancellationToken);
    }

    private async Task DispatchAsync(CachedInstance committed, IReadOnlyList<WorkMessage> messages, CancellationToken cancellationToken)
    {
        var sent = new List<string>();
        var runningLocally = false;
        var parked = committed.Snapshot.Record.Outbox.Where(m => m.Parked).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var message in messages.Where(m => !parked.Contains(m.Id)).Select(DurableTracing.Stamp))
        {
            // A finished instance's last activities go through the queue: its outbox entry is removed right after the
            // send, where a local run would leave it for the sweeper to run again (their results are not consumed).
            if (message.Kind == WorkMessageKind.Activity && options.RunActivitiesLocally && !committed.Snapshot.Record.IsTerminal && activitySlots.Wait(0, CancellationToken.None))
            {
                runningLocally = true;
                RunInBackground(() => RunLocalActivityAsync(message));
                continue;
            }

            try
            {
                await store.SendAsync(message, cancellationToken).ConfigureAwait(false);
                sent.Add(message.Id);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                WorkerLog.DispatchFailed(logger, ex, message.Id, message.InstanceId);
            }
        }

        if (sent.Count == 0)
        {
            return;
        }

        if (messages.Any(m => m.VisibleAt is null && !parked.Contains(m.Id)))
        {
            signal.Pulse();
        }

        var record = committed.Snapshot.Record;
        if (runningLocally && !record.IsTerminal)
        {
            // The local activity's result commits soon and drops these from the outbox for free.
            committed.Dispatched.UnionWith(sent);
            return;
        }

        var etag = await store.RemoveFromOutboxAsync(record, committed.Snapshot.ETag, sent, cancellationToken).ConfigureAwait(false);
        if (etag is null)
        {
            cache.Remove(record.InstanceId);
            return;
        }

        var cleaned = record with { Outbox = [.. record.Outbox.Where(m => !sent.Contains(m.Id))] };
        cache.Set(committed with { Snapshot = committed.Snapshot with { Record = cleaned, ETag = etag } });
    }
}
