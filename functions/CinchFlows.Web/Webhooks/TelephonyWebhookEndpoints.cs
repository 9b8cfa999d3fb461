using CinchFlows.Web.Telemetry;

namespace CinchFlows.Web.Webhooks;

/// <summary>The telephony webhook route (docs/api.md §1): anonymous, since the Standard Webhooks signature is the credential.</summary>
internal static class TelephonyWebhookEndpoints
{
    /// <summary>The route under <c>/api</c>.</summary>
    public const string Route = "/telephony/events";

    /// <summary>Maps <c>POST /api/telephony/events</c> on <paramref name="api"/> (the <c>/api</c> group).</summary>
    public static RouteGroupBuilder MapTelephonyWebhooks(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost(Route, (HttpContext context, TelephonyWebhookHandler handler) => WebhookTelemetry.MeasureAsync(context, () => handler.HandleAsync(context, context.RequestAborted)))
            .AllowAnonymous();
        return api;
    }
}
