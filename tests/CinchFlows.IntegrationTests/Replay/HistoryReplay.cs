using System.Text.Json.Nodes;
using CinchFlows.Flows;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CinchFlows.IntegrationTests.Replay;

/// <summary>
/// The replay check (docs/flows.md, "Changing a flow"): takes an instance's history as the management API exports it
/// (<c>GET /api/instances/{id}?showHistory=true</c>) and replays it against orchestrator code the way the Durable Task
/// worker does (the SDK's shim on DurableTask.Core's executor, the flows' JSON), without running any activity.
/// </summary>
/// <remarks>
/// A history the code still fits replays to exactly what was recorded: a running flow asks for nothing new (every task,
/// timer and event it asked for is in its history), and a finished one ends the same way. Anything else is a change
/// that would break this instance on the next deploy: the engine's own non-determinism error (a recorded task the code
/// no longer schedules at that point), a step the recorded run never took where it already went on, or another end.
/// An instance terminated from outside is checked up to its last own step.
/// </remarks>
internal static class HistoryReplay
{
    private static readonly JsonSerializerSettings EventSettings = new()
    {
        Converters = { new StringEnumConverter() },
        ConstructorHandling = ConstructorHandling.AllowNonPublicDefaultConstructor,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        MissingMemberHandling = MissingMemberHandling.Ignore,
    };

    /// <summary>The history fields the API embeds as JSON that the engine keeps as serialized text.</summary>
    private static readonly string[] PayloadFields = ["input", "result"];

    /// <summary>Replays the exported status object's <c>historyEvents</c> against <paramref name="orchestrators"/> (by orchestration name).</summary>
    public static ReplayVerdict Replay(string source, JsonObject exported, Func<string, ITaskOrchestrator?> orchestrators)
    {
        ArgumentNullException.ThrowIfNull(exported);
        ArgumentNullException.ThrowIfNull(orchestrators);
        var instanceId = exported["instanceId"]?.GetValue<string>() ?? "(unknown)";
        if (exported["historyEvents"] is not JsonArray exportedEvents || exportedEvents.Count == 0)
        {
            return new ReplayVerdict(source, instanceId, exported["name"]?.GetValue<string>() ?? "(unknown)", string.Empty, 0, "the export has no historyEvents (export it with ?showHistory=true)");
        }

        var events = exportedEvents.OfType<JsonObject>().Select(ToHistoryEvent).ToList();
        var started = events.OfType<ExecutionStartedEvent>().FirstOrDefault();
        if (started is null)
        {
            return new ReplayVerdict(source, instanceId, "(unknown)", string.Empty, events.Count, "the history has no ExecutionStarted event");
        }

        var name = started.Name ?? string.Empty;
        var version = started.Version ?? string.Empty;
        var orchestrator = orchestrators(name);
        if (orchestrator is null)
        {
            return new ReplayVerdict(source, instanceId, name, version, events.Count, $"no orchestrator named '{name}' in the current code");
        }

        var (replayed, ended) = OwnSteps(events);
        var state = new OrchestrationRuntimeState(replayed);
        var shim = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = new JsonDataConverter(FlowJson.Options) }, NullLoggerFactory.Instance)
            .CreateOrchestration(new TaskName(name), orchestrator, parent: null);
        var result = new TaskOrchestrationExecutor(state, shim, BehaviorOnContinueAsNew.Carryover, ErrorPropagationMode.UseFailureDetails).Execute();
        return new ReplayVerdict(source, instanceId, name, version, replayed.Count, Judge([.. result.Actions], ended));
    }

    /// <summary>The events the orchestration itself played (cut before an outside termination), and how it ended, if it did.</summary>
    private static (List<HistoryEvent> Events, ExecutionCompletedEvent? Ended) OwnSteps(List<HistoryEvent> events)
    {
        var terminated = events.FindIndex(e => e is ExecutionTerminatedEvent);
        if (terminated < 0)
        {
            return (events, events.OfType<ExecutionCompletedEvent>().LastOrDefault());
        }

        // The termination's step is the engine's, not the code's: replay up to the step before it, as a running flow.
        var stepStart = events.FindLastIndex(terminated, e => e is OrchestratorStartedEvent);
        return (events.GetRange(0, stepStart < 0 ? terminated : stepStart), null);
    }

    private static string? Judge(List<OrchestratorAction> actions, ExecutionCompletedEvent? ended)
    {
        var completion = actions.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault();
        if (completion?.FailureDetails is { } failure && failure.ErrorType.Contains("NonDeterministic", StringComparison.Ordinal))
        {
            return $"non-deterministic: {failure.ErrorMessage}";
        }

        var asked = actions.Where(a => a is not OrchestrationCompleteOrchestratorAction).Select(Describe).ToList();
        if (asked.Count > 0)
        {
            return $"the code now takes step(s) the recorded run did not take at this point: {string.Join("; ", asked)}";
        }

        if (ended is null)
        {
            return completion is null ? null : $"the code now ends {completion.OrchestrationStatus} where the recorded run went on waiting";
        }

        if (completion is null)
        {
            return $"the recorded run ended {ended.OrchestrationStatus}; the code now waits instead";
        }

        if (completion.OrchestrationStatus != ended.OrchestrationStatus)
        {
            return $"the recorded run ended {ended.OrchestrationStatus}; the code now ends {completion.OrchestrationStatus}";
        }

        return ended.OrchestrationStatus == OrchestrationStatus.Completed && !JsonEquals(ended.Result, completion.Result)
            ? $"the recorded run's output was {ended.Result}; the code now outputs {completion.Result}"
            : null;
    }

    private static string Describe(OrchestratorAction action) => action switch
    {
        ScheduleTaskOrchestratorAction task => $"#{task.Id} activity {task.Name}",
        CreateTimerOrchestratorAction timer => $"#{timer.Id} timer until {timer.FireAt:O}",
        CreateSubOrchestrationAction sub => $"#{sub.Id} sub-orchestration {sub.Name}",
        SendEventOrchestratorAction sent => $"#{sent.Id} event {sent.EventName}",
        _ => $"#{action.Id} {action.OrchestratorActionType}",
    };

    private static bool JsonEquals(string? recorded, string? replayed)
    {
        if (recorded is null || replayed is null)
        {
            return recorded == replayed;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(recorded), JsonNode.Parse(replayed));
        }
        catch (System.Text.Json.JsonException)
        {
            return string.Equals(recorded, replayed, StringComparison.Ordinal);
        }
    }

    /// <summary>One exported event back as the engine's type: the field names are the engine's own, payloads go back to text.</summary>
    private static HistoryEvent ToHistoryEvent(JsonObject exported)
    {
        var json = new JsonObject();
        foreach (var (field, value) in exported)
        {
            if (field == "taskId")
            {
                continue; // the API's copy of eventId
            }

            json[field] = PayloadFields.Contains(field, StringComparer.Ordinal) && value is not null
                ? JsonValue.Create(value.ToJsonString())
                : value?.DeepClone();
        }

        var typeName = exported["eventType"]?.GetValue<string>()
            ?? throw new InvalidDataException($"A history event without eventType: {exported.ToJsonString()}");
        if (!Enum.TryParse<EventType>(typeName, ignoreCase: false, out var type))
        {
            throw new InvalidDataException($"Unknown history event type '{typeName}'.");
        }

        return (HistoryEvent)(JsonConvert.DeserializeObject(json.ToJsonString(), EventClass(type), EventSettings)
            ?? throw new InvalidDataException($"Could not read a {typeName} event."));
    }

    private static Type EventClass(EventType type) => type switch
    {
        EventType.ExecutionStarted => typeof(ExecutionStartedEvent),
        EventType.ExecutionCompleted => typeof(ExecutionCompletedEvent),
        EventType.ExecutionFailed => typeof(ExecutionCompletedEvent),
        EventType.ExecutionTerminated => typeof(ExecutionTerminatedEvent),
        EventType.ExecutionSuspended => typeof(ExecutionSuspendedEvent),
        EventType.ExecutionResumed => typeof(ExecutionResumedEvent),
        EventType.TaskScheduled => typeof(TaskScheduledEvent),
        EventType.TaskCompleted => typeof(TaskCompletedEvent),
        EventType.TaskFailed => typeof(TaskFailedEvent),
        EventType.SubOrchestrationInstanceCreated => typeof(SubOrchestrationInstanceCreatedEvent),
        EventType.SubOrchestrationInstanceCompleted => typeof(SubOrchestrationInstanceCompletedEvent),
        EventType.SubOrchestrationInstanceFailed => typeof(SubOrchestrationInstanceFailedEvent),
        EventType.TimerCreated => typeof(TimerCreatedEvent),
        EventType.TimerFired => typeof(TimerFiredEvent),
        EventType.OrchestratorStarted => typeof(OrchestratorStartedEvent),
        EventType.OrchestratorCompleted => typeof(OrchestratorCompletedEvent),
        EventType.EventSent => typeof(EventSentEvent),
        EventType.EventRaised => typeof(EventRaisedEvent),
        EventType.GenericEvent => typeof(GenericEvent),
        EventType.HistoryState => typeof(HistoryStateEvent),
        _ => throw new InvalidDataException($"History event type '{type}' cannot be replayed."),
    };
}
