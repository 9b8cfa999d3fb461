using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CinchFlows.Web.Telemetry;

/// <summary>A span and a latency measurement for each telephony webhook, on the <c>CinchFlows.Webhooks</c> source and meter.</summary>
internal static class WebhookTelemetry
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "CinchFlows.Webhooks";

    /// <summary>Tag with the CloudEvents type of the webhook, once parsed.</summary>
    public const string EventTypeTag = "cinchflows.event_type";

    /// <summary>Tag with the flow the webhook started or reached.</summary>
    public const string FlowIdTag = "cinchflows.flow_id";

    private static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(
        "cinchflows.webhook.duration", "s", "Time to answer a telephony webhook, by event type and status code.");

    /// <summary>Runs the handler inside the webhook's span and records how long it took.</summary>
    public static async Task<IResult> MeasureAsync(HttpContext context, Func<Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handle);
        using var span = Source.StartActivity("telephony webhook", ActivityKind.Internal);
        var started = Stopwatch.GetTimestamp();
        IResult? result = null;
        try
        {
            result = await handle().ConfigureAwait(false);
            return result;
        }
        finally
        {
            var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status500InternalServerError;
            var type = context.Items[EventTypeTag] as string ?? "unparsed";
            span?.SetTag("http.response.status_code", status);
            if (status >= 500)
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }

            Latency.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("event_type", type),
                new KeyValuePair<string, object?>("status_code", status));
        }
    }

    /// <summary>Tags the webhook's span (when someone listens) and its measurement.</summary>
    public static void Tag(HttpContext context, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[name] = value;
        Activity.Current?.SetTag(name, value);
    }
}
