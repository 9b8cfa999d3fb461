using CinchFlows.Web.Access;
using CinchFlows.Web.Telemetry;
using CinchFlows.Web.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Functions.Http;

/// <summary><c>POST /api/telephony/events</c>: anonymous, the Standard Webhooks signature is the credential; calls <see cref="TelephonyWebhookHandler"/>.</summary>
internal sealed class TelephonyWebhookFunctions(HttpFunctionGate gate, TelephonyWebhookHandler handler)
{
    /// <summary><c>POST /api/telephony/events</c>.</summary>
    [Function(nameof(TelephonyEvents))]
    public Task<IResult> TelephonyEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "telephony/events")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        gate.RunAsync(request, client, AccessPolicies.Anonymous, () => WebhookTelemetry.MeasureAsync(request.HttpContext, () => handler.HandleAsync(request.HttpContext, request.HttpContext.RequestAborted)));
}
