using System.Diagnostics;

namespace CinchFlows.Flows;

/// <summary>The flows' own spans, on the <c>CinchFlows.Flows</c> source: each notification published and each telephony command sent.</summary>
public static class FlowTracing
{
    /// <summary>Name of the activity source.</summary>
    public const string SourceName = "CinchFlows.Flows";

    /// <summary>The W3C trace context header and application property name.</summary>
    public const string TraceParent = "traceparent";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A producer span for one notification on <paramref name="topic"/>.</summary>
    internal static Activity? StartPublish(string topic, string subject, string messageId)
    {
        var span = Source.StartActivity("notification publish " + topic, ActivityKind.Producer);
        span?.SetTag("messaging.destination.name", topic);
        span?.SetTag("messaging.message.id", messageId);
        span?.SetTag("cinchflows.subject", subject);
        return span;
    }

    /// <summary>A client span for one telephony command.</summary>
    internal static Activity? StartCommand(string type, string idempotencyKey)
    {
        var span = Source.StartActivity("telephony command " + type, ActivityKind.Client);
        span?.SetTag("cinchflows.command", type);
        span?.SetTag("cinchflows.idempotency_key", idempotencyKey);
        return span;
    }
}
