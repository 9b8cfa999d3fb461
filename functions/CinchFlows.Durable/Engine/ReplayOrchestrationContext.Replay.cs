using System.Globalization;
using System.Text.Json;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable.Engine;

/// <summary>The replay loop: feeds history, then the step's new events, to the code and collects what it decided.</summary>
internal sealed partial class ReplayOrchestrationContext
{
    private readonly List<HistoryEvent> heldWhileSuspended = [];
    private bool replaying;
    private bool suspended;
    private string? terminatedReason;
    private bool terminated;
    private Task<object?>? run;
    private ITaskOrchestrator? orchestrator;
    private ExecutionStartedEvent? started;
    private List<HistoryEvent> history = [];
    private int position;

    /// <summary>Runs one step. <paramref name="newEvents"/> must start with the step's <see cref="OrchestratorStartedEvent"/>.</summary>
    public OrchestrationStep Execute(ITaskOrchestrator code, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents)
    {
        orchestrator = code;
        var previous = SynchronizationContext.Current;
        var syncContext = new OrchestrationSynchronizationContext();
        SynchronizationContext.SetSynchronizationContext(syncContext);
        try
        {
            history = [.. past, .. newEvents];
            for (position = 0; position < history.Count; position++)
            {
                replaying = position < past.Count;
                Apply(history[position], syncContext);
            }

            syncContext.RunPending();
            return Conclude(newEvents);
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            return Failed(newEvents, new TaskFailureDetails(TaskFailureDetails.NonDeterministicErrorType, ex.Message));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);

            // The step is over: a token the code passed in must not keep this context alive or change it later.
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    private void Apply(HistoryEvent e, OrchestrationSynchronizationContext syncContext)
    {
        if (terminated)
        {
            return;
        }

        // While suspended, what arrives from outside waits; the code's own recorded actions (which it took before the
        // suspension in the same step) are matched as always.
        if (suspended && e is not (ExecutionResumedEvent or ExecutionTerminatedEvent or ExecutionSuspendedEvent or OrchestratorStartedEvent
            or TaskScheduledEvent or TimerCreatedEvent or SubOrchestrationCreatedEvent or OrchestrationStartRequestedEvent))
        {
            heldWhileSuspended.Add(e);
            return;
        }

        switch (e)
        {
            case ExecutionStartedEvent s:
                started = s;
                break;
            case OrchestratorStartedEvent:
                currentTime = e.Timestamp;
                if (run is null && started is not null && !suspended && !SuspendedInThisStep())
                {
                    run = StartCode();
                }

                break;
            case TaskScheduledEvent or TimerCreatedEvent or SubOrchestrationCreatedEvent or OrchestrationStartRequestedEvent:
                MatchAction(e);
                break;
            case TaskCompletedEvent c:
                Complete(c.TaskScheduledId, t => t.Completion.TrySetResult(c.Result));
                break;
            case TaskFailedEvent f:
                Complete(f.TaskScheduledId, t => t.Completion.TrySetException(new TaskFailedException(t.Name, t.Id, f.Failure)));
                break;
            case SubOrchestrationCompletedEvent c:
                Complete(c.TaskScheduledId, t => t.Completion.TrySetResult(c.Result));
                break;
            case SubOrchestrationFailedEvent f:
                Complete(f.TaskScheduledId, t => t.Completion.TrySetException(new TaskFailedException(t.Name, t.Id, f.Failure)));
                break;
            case TimerFiredEvent t:
                Complete(t.TimerId, o => o.Completion.TrySetResult(null));
                break;
            case EventRaisedEvent r:
                Deliver(r);
                break;
            case ExecutionSuspendedEvent:
                suspended = true;
                break;
            case ExecutionResumedEvent:
                suspended = false;
                if (run is null && started is not null)
                {
                    // Suspended before it ever ran: the code starts now.
                    run = StartCode();
                    syncContext.RunPending();
                }

                var held = heldWhileSuspended.ToList();
                heldWhileSuspended.Clear();
                foreach (var h in held)
                {
                    Apply(h, syncContext);
                    syncContext.RunPending();
                }

                break;
            case ExecutionTerminatedEvent t:
                terminated = true;
                terminatedReason = t.Reason;
                break;
            default:
                break;
        }

        syncContext.RunPending();
    }

    /// <summary>
    /// True when this step (the events up to the next episode) suspends the instance before it resumes it: a flow
    /// suspended before its code ever ran does not run it. Looks only at recorded history, so replays decide alike.
    /// </summary>
    private bool SuspendedInThisStep()
    {
        for (var i = position + 1; i < history.Count && history[i] is not OrchestratorStartedEvent; i++)
        {
            switch (history[i])
            {
                case ExecutionSuspendedEvent:
                    return true;
                case ExecutionResumedEvent:
                    return false;
                default:
                    break;
            }
        }

        return false;
    }

    private Task<object?> StartCode()
    {
        object? input;
        try
        {
            input = started!.Input is null ? null : JsonSerializer.Deserialize(started.Input, orchestrator!.InputType, DurableJson.Options);
        }
        catch (JsonException ex)
        {
            return Task.FromException<object?>(new ArgumentException($"The input does not fit {orchestrator!.InputType.Name}: {ex.Message}", ex));
        }

        try
        {
            return orchestrator!.RunAsync(this, input);
        }
#pragma warning disable CA1031 // Whatever the code throws synchronously fails the instance, as an async throw would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<object?>(ex);
        }
    }

    private void MatchAction(HistoryEvent recorded)
    {
        var id = HistoryEventIds.ActionId(recorded);
        pendingActionSizes.Remove(id);
        if (!pendingActions.Remove(id, out var requested))
        {
            throw new NonDeterministicOrchestrationException(
                $"History has {Describe(recorded)} as step #{id}, but the code did not ask for it there. The orchestration's code changed while this instance ran.");
        }

        var same = (recorded, requested) switch
        {
            (TaskScheduledEvent a, TaskScheduledEvent b) => a.Name == b.Name,
            (TimerCreatedEvent, TimerCreatedEvent) => true,
            (SubOrchestrationCreatedEvent a, SubOrchestrationCreatedEvent b) => a.Name == b.Name && a.InstanceId == b.InstanceId,
            (OrchestrationStartRequestedEvent a, OrchestrationStartRequestedEvent b) => a.Name == b.Name && a.InstanceId == b.InstanceId,
            _ => false,
        };
        if (!same)
        {
            throw new NonDeterministicOrchestrationException(
                $"History has {Describe(recorded)} as step #{id}, but the code now asks for {Describe(requested)}. The orchestration's code changed while this instance ran.");
        }
    }

    private void Complete(int id, Action<OpenTask> complete)
    {
        if (openTasks.Remove(id, out var task))
        {
            complete(task);
        }
    }

    private void Deliver(EventRaisedEvent raised)
    {
        if (waiters.TryGetValue(raised.Name, out var list) && list.First is { } first)
        {
            list.RemoveFirst();
            first.Value.Completion.TrySetResult(raised.Input);
            return;
        }

        if (!bufferedEvents.TryGetValue(raised.Name, out var queue))
        {
            bufferedEvents[raised.Name] = queue = new Queue<string?>();
        }

        queue.Enqueue(raised.Input);
    }

    private OrchestrationStep Conclude(IReadOnlyList<HistoryEvent> newEvents)
    {
        if (terminated)
        {
            var reason = DurableJson.Serialize(terminatedReason);
            return Finish(newEvents, [], OrchestrationRuntimeStatus.Terminated, reason, failure: null);
        }

        if (run is { IsCompleted: true })
        {
            var actions = pendingActions.Values.ToList();
            if (run.IsCompletedSuccessfully)
            {
                return Finish(newEvents, actions, OrchestrationRuntimeStatus.Completed, DurableJson.Serialize(run.Result), failure: null);
            }

            var exception = run.Exception?.InnerException ?? (Exception?)run.Exception ?? new TaskCanceledException("The orchestration was cancelled.");
            return Finish(newEvents, actions, OrchestrationRuntimeStatus.Failed, output: null, TaskFailureDetails.FromException(exception));
        }

        var liveTasks = openTasks.Values.Where(t => !t.IsAbandoned).ToList();
        var liveWaiters = waiters.Where(w => w.Value.Count > 0).Select(w => w.Key).ToList();
        if (run is not null && !suspended && liveTasks.Count == 0 && liveWaiters.Count == 0 && pendingActions.Count == 0)
        {
            return Failed(newEvents, new TaskFailureDetails(
                TaskFailureDetails.NonDeterministicErrorType,
                "The orchestration waits on something that is not a durable task (Task.Delay, I/O, a lock). Use the context's timers, activities and events."));
        }

        var events = newEvents.Where(Keep).Concat(pendingActions.Values).ToList();
        return new OrchestrationStep
        {
            NewEvents = events,
            Messages = [.. pendingActions.Values.Select(ToMessage)],
            Status = suspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running,
            CustomStatus = SerializedCustomStatus,
            WaitingFor = DescribeWaits(liveTasks, liveWaiters),
            NextTimerAt = liveTasks.Where(t => t.Kind == OpenTaskKind.Timer).Min(t => t.FireAt),
        };
    }

    private OrchestrationStep Failed(IReadOnlyList<HistoryEvent> newEvents, TaskFailureDetails failure) =>
        Finish(newEvents, [], OrchestrationRuntimeStatus.Failed, output: null, failure);

    private OrchestrationStep Finish(IReadOnlyList<HistoryEvent> newEvents, IReadOnlyList<HistoryEvent> actions, OrchestrationRuntimeStatus status, string? output, TaskFailureDetails? failure)
    {
        var completed = new ExecutionCompletedEvent(status, output, failure) { Timestamp = currentTime };
        var messages = actions.Select(ToMessage).ToList();
        if (started?.ParentInstanceId is { } parentId && started.ParentTaskId is { } parentTaskId)
        {
            HistoryEvent toParent = status == OrchestrationRuntimeStatus.Completed
                ? new SubOrchestrationCompletedEvent(parentTaskId, output)
                : new SubOrchestrationFailedEvent(parentTaskId, failure ?? new TaskFailureDetails("Terminated", $"Sub-orchestration '{InstanceId}' was terminated: {terminatedReason}"));
            var id = $"{InstanceId}:completed";
            var message = new WorkMessage(id, WorkMessageKind.Orchestration, parentId, toParent with { Timestamp = currentTime, MessageId = id })
            {
                ExecutionId = started.ParentExecutionId,
            };
            if (QueueMessageSize.Base64Length(JsonSerializer.Serialize(message, DurableJson.Options)) > QueueMessageSize.MaxBase64Chars)
            {
                // The output stays readable on this instance; the parent learns why it cannot have it instead of waiting forever.
                var tooLarge = new TaskFailureDetails(nameof(PayloadTooLargeException), $"Sub-orchestration '{InstanceId}' finished, but its output is too large to send to its parent; read it from the instance.");
                message = message with { Event = new SubOrchestrationFailedEvent(parentTaskId, tooLarge) { Timestamp = currentTime, MessageId = id } };
            }

            messages.Add(message);
        }

        return new OrchestrationStep
        {
            NewEvents = [.. newEvents.Where(Keep), .. actions, completed],
            Messages = messages,
            Status = status,
            Output = output,
            Failure = failure,
            CustomStatus = SerializedCustomStatus,
        };
    }

    private static bool Keep(HistoryEvent e) => e is not WakeUpEvent;

    private WorkMessage ToMessage(HistoryEvent action)
    {
        switch (action)
        {
            case TaskScheduledEvent s:
                return new WorkMessage(MessageId(s.TaskId, "activity"), WorkMessageKind.Activity, InstanceId, s) { ExecutionId = ExecutionId };
            case TimerCreatedEvent t:
                {
                    var id = MessageId(t.TaskId, "timer");
                    return new WorkMessage(id, WorkMessageKind.Orchestration, InstanceId, new TimerFiredEvent(t.TaskId, t.FireAt) { Timestamp = currentTime, MessageId = id })
                    {
                        VisibleAt = t.FireAt,
                        ExecutionId = ExecutionId,
                    };
                }

            case SubOrchestrationCreatedEvent c:
                {
                    var id = MessageId(c.TaskId, "start");
                    return new WorkMessage(id, WorkMessageKind.Orchestration, c.InstanceId, new ExecutionStartedEvent(c.Name, c.Input, InstanceId, c.TaskId)
                    {
                        Timestamp = currentTime,
                        MessageId = id,
                        ExecutionId = ChildExecutionId(c.TaskId),
                        ParentExecutionId = ExecutionId,
                    });
                }

            case OrchestrationStartRequestedEvent r:
                {
                    var id = MessageId(r.TaskId, "start");
                    return new WorkMessage(id, WorkMessageKind.Orchestration, r.InstanceId, new ExecutionStartedEvent(r.Name, r.Input) { Timestamp = currentTime, MessageId = id, ExecutionId = ChildExecutionId(r.TaskId) });
                }

            default:
                throw new InvalidOperationException($"{action.GetType().Name} is not an action.");
        }
    }

    private string ChildExecutionId(int taskId) => string.Create(CultureInfo.InvariantCulture, $"{ExecutionId ?? InstanceId}.{taskId}");

    private string MessageId(int taskId, string kind) => string.Create(CultureInfo.InvariantCulture, $"{InstanceId}:{taskId}:{kind}");

    private static string Describe(HistoryEvent e) => e switch
    {
        TaskScheduledEvent s => $"activity '{s.Name}'",
        TimerCreatedEvent => "a timer",
        SubOrchestrationCreatedEvent c => $"sub-orchestration '{c.Name}' ({c.InstanceId})",
        OrchestrationStartRequestedEvent r => $"starting orchestration '{r.Name}' ({r.InstanceId})",
        _ => e.GetType().Name,
    };

    private static string? DescribeWaits(List<OpenTask> tasks, List<string> events)
    {
        var parts = new List<string>();
        parts.AddRange(events.Select(e => $"event '{e}'"));
        parts.AddRange(tasks.Where(t => t.Kind == OpenTaskKind.Activity).Select(t => $"activity '{t.Name}'"));
        parts.AddRange(tasks.Where(t => t.Kind == OpenTaskKind.SubOrchestration).Select(t => $"sub-orchestration '{t.Name}'"));
        parts.AddRange(tasks.Where(t => t.Kind == OpenTaskKind.Timer).Select(t => string.Create(CultureInfo.InvariantCulture, $"timer at {t.FireAt:yyyy-MM-ddTHH:mm:ssZ}")));
        return parts.Count == 0 ? null : string.Join(" or ", parts);
    }
}
