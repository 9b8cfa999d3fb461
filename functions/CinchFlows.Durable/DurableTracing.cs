using System.Diagnostics;
using CinchFlows.Durable.Storage;

namespace CinchFlows.Durable;

/// <summary>
/// The runtime's spans (one per orchestration step, one per activity run) on the <c>CinchFlows.Durable</c> source, and
/// the W3C trace context that work messages carry (<see cref="WorkMessage.TraceParent"/>) so a trace follows a flow
/// across the queue: webhook → step → activity → the step that takes its result.
/// </summary>
public static class DurableTracing
{
    /// <summary>Name of the activity source.</summary>
    public const string SourceName = "CinchFlows.Durable";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one orchestration step, a child of the first message that carries a trace context; null when nobody listens.</summary>
    public static Activity? StartStep(string instanceId, IReadOnlyList<WorkMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var parent = messages.Select(m => m.TraceParent).FirstOrDefault(p => p is not null);
        var span = Source.StartActivity("orchestration step", ActivityKind.Consumer, ParentOf(parent));
        span?.SetTag("cinchflows.instance_id", instanceId);
        span?.SetTag("cinchflows.messages", messages.Count);
        return span;
    }

    /// <summary>The span of one activity run, a child of the step that scheduled it.</summary>
    public static Activity? StartActivity(string activityName, WorkMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var span = Source.StartActivity("activity " + activityName, ActivityKind.Internal, ParentOf(request.TraceParent));
        span?.SetTag("cinchflows.instance_id", request.InstanceId);
        span?.SetTag("cinchflows.activity", activityName);
        return span;
    }

    /// <summary>The message with the current span's trace context, when there is one (and it has none of its own).</summary>
    public static WorkMessage Stamp(WorkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.TraceParent is null && Activity.Current is { IdFormat: ActivityIdFormat.W3C } current
            ? message with { TraceParent = current.Id }
            : message;
    }

    private static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
}
