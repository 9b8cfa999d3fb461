using System.Buffers;
using System.Text;
using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Hints;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;
using CinchFlows.Web.Telemetry;
using CinchFlows.Web.Telephony;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CinchFlows.Web.Webhooks;

/// <summary>
/// Handles <c>POST /api/telephony/events</c> (docs/api.md §1): content type, size, Standard Webhooks signature, redelivery,
/// CloudEvents parsing, then one flow start or event delivery. Nothing here waits for a flow step.
/// </summary>
/// <remarks>
/// Order: verify, look up the receipt, act, record the receipt. Only 202 answers are recorded: a delivery refused with a
/// 4xx (bad event, no flow yet) changes nothing, so a corrected or later redelivery with the same <c>webhook-id</c> can
/// still go through. Deliveries of one id are serialized within this process; across instances a narrow race can act
/// twice, which flow ids derived from business keys make harmless for starts.
/// </remarks>
internal sealed class TelephonyWebhookHandler(
    WebhookVerifier verifier,
    IWebhookReceiptStore receipts,
    CallCenterFlowClient flows,
    TranscriptHinter hinter,
    IOptionsMonitor<TelephonyOptions> options,
    TimeProvider timeProvider,
    ILogger<TelephonyWebhookHandler> logger)
{
    /// <summary>Largest body accepted (docs/api.md §1: 64 KiB).</summary>
    public const int MaxBodyBytes = JsonBodyReader.MaxBodyBytes;

    private const string NoId = "(none)";

    private readonly RejectionLogThrottle rejectionLog = new(timeProvider);
    private const string Unparsed = "(unparsed)";

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim[] stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Handles one delivery and gives the answer.</summary>
    public async Task<IResult> HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var headers = WebhookHeaders.Read(request.Headers);
        var webhookId = headers.Id ?? NoId;
        if (!IsJson(request.ContentType))
        {
            logger.Refused(webhookId, Unparsed, StatusCodes.Status415UnsupportedMediaType);
            return WebhookProblems.UnsupportedMediaType();
        }

        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            logger.Refused(webhookId, Unparsed, StatusCodes.Status413PayloadTooLarge);
            return ApiProblems.TooLarge(MaxBodyBytes);
        }

        var verification = verifier.Verify(headers, body.Value.Span);
        if (verification != WebhookVerification.Valid)
        {
            if (rejectionLog.Count(out var rejections))
            {
                logger.Unauthenticated(webhookId, verification, rejections);
            }

            return verification switch
            {
                WebhookVerification.TimestampOutOfTolerance => WebhookProblems.TimestampOutOfTolerance(options.CurrentValue.WebhookTolerance),
                WebhookVerification.TooManySignatures => WebhookProblems.TooManySignatures(),
                _ => WebhookProblems.InvalidSignature(),
            };
        }

        var stripe = stripes[(uint)StringComparer.Ordinal.GetHashCode(webhookId) % (uint)stripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await HandleVerifiedAsync(context, webhookId, body.Value, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType;
        var charset = HeaderUtilities.RemoveQuotes(media.Charset);
        return (type.Equals("application/cloudevents+json", StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            && (charset.Length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is over the limit, whatever Content-Length says.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        // Let Kestrel stop reading early too; the count below covers servers that ignore it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        }

        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.WrittenMemory;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private async Task<IResult> HandleVerifiedAsync(HttpContext context, string webhookId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var eventType = Unparsed;
        try
        {
            // The receipt lookup runs while the body is parsed.
            var lookup = receipts.FindAsync(webhookId, cancellationToken);
            TelephonyEvent parsed;
            try
            {
                parsed = TelephonyEventParser.Parse(body);
            }
            catch (TelephonyEventException ex)
            {
                return await DuplicateAsync(context, webhookId, lookup).ConfigureAwait(false)
                    ?? Refused(webhookId, eventType, ApiProblems.BadRequest(ex.Message));
            }

            eventType = parsed.Type;
            WebhookTelemetry.Tag(context, WebhookTelemetry.EventTypeTag, eventType);
            if (parsed.Data is TranscriptSegment segment)
            {
                return await HintAsync(context, webhookId, segment, cancellationToken).ConfigureAwait(false);
            }
            var earlier = IsStart(parsed.Data) ? await FoundAsync(webhookId, lookup).ConfigureAwait(false) : await lookup.ConfigureAwait(false);
            if (earlier is not null)
            {
                return Duplicate(context, webhookId, earlier);
            }

            Effect effect;
            try
            {
                effect = await ActAsync(parsed.Data, cancellationToken).ConfigureAwait(false);
            }
            catch (FlowInputException ex)
            {
                return Refused(webhookId, eventType, ApiProblems.BadRequest(ex.Message));
            }

            if (effect.FlowId is null)
            {
                return Refused(webhookId, eventType, WebhookProblems.NoFlow(effect.Detail));
            }

            var payload = ManagementUris.Payload(context.Request, effect.FlowId);
            var answer = new WebhookReceipt(
                webhookId,
                StatusCodes.Status202Accepted,
                JsonSerializer.Serialize(payload, PayloadJson),
                payload.StatusQueryGetUri,
                timeProvider.GetUtcNow());
            await RecordAsync(answer).ConfigureAwait(false);
            logger.Accepted(webhookId, eventType, effect.Detail, effect.FlowId);
            WebhookTelemetry.Tag(context, WebhookTelemetry.FlowIdTag, effect.FlowId);
            return Answer(context.Response, answer);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            logger.StorageUnavailable(ex, webhookId, eventType);
            return WebhookProblems.StorageUnavailable(context.Response);
        }
        catch (FlowStartingException ex)
        {
            logger.FlowStarting(webhookId, eventType);
            return WebhookProblems.FlowStarting(context.Response, ex.Message);
        }
    }

    /// <summary>
    /// A transcript segment: matched in memory and answered 202 with the protocols hinted now. No receipt is kept (the
    /// once-per-call-and-protocol guard makes a redelivery harmless) and nothing of the text is stored or logged.
    /// </summary>
    private async Task<IResult> HintAsync(HttpContext context, string webhookId, TranscriptSegment segment, CancellationToken cancellationToken)
    {
        if (!BusinessKeys.IsValid(segment.CallId))
        {
            return Refused(webhookId, TelephonyEventTypes.TranscriptSegment, ApiProblems.BadRequest(
                $"'data.callId' must be 1-{BusinessKeys.MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'."));
        }

        IReadOnlyList<CinchFlows.Flows.Hints.HintProtocol> hinted;
        try
        {
            hinted = await hinter.HandleAsync(segment, cancellationToken).ConfigureAwait(false);
        }
        catch (TelephonyCommandException)
        {
            logger.Refused(webhookId, TelephonyEventTypes.TranscriptSegment, StatusCodes.Status503ServiceUnavailable);
            return WebhookProblems.HintUndelivered(context.Response);
        }

        logger.SegmentHeard(webhookId, segment.CallId, hinted.Count);
        return TypedResults.Json(
            new { callId = segment.CallId, hints = hinted.Select(CinchFlows.Flows.Hints.HintProtocols.WireName).ToArray() },
            PayloadJson,
            statusCode: StatusCodes.Status202Accepted);
    }

    private static bool IsStart(object data) => data is MedicalEmergencyFlagged or SupervisorRequested or EscalationRaised;

    /// <summary>The first answer to a redelivered id, or null when the id is new; a failed lookup throws (storage: 503).</summary>
    private async Task<IResult?> DuplicateAsync(HttpContext context, string webhookId, Task<WebhookReceipt?> lookup) =>
        await lookup.ConfigureAwait(false) is { } receipt ? Duplicate(context, webhookId, receipt) : null;

    /// <summary>Answers a redelivery as the first time.</summary>
    private ContentHttpResult Duplicate(HttpContext context, string webhookId, WebhookReceipt receipt)
    {
        logger.Duplicate(webhookId, receipt.StatusCode);
        return Answer(context.Response, receipt);
    }

    /// <summary>
    /// The receipt of a start's id; null when there is none or the lookup failed: the start then goes ahead (a medical
    /// emergency without its flow is worse than a rare repeat; and a start never replaces a flow with the same id).
    /// </summary>
    private async Task<WebhookReceipt?> FoundAsync(string webhookId, Task<WebhookReceipt?> lookup)
    {
        try
        {
            return await lookup.ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            logger.ReceiptLookupFailed(ex, webhookId);
            return null;
        }
    }

    private IResult Refused(string webhookId, string eventType, IResult problem)
    {
        logger.Refused(webhookId, eventType, problem is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest);
        return problem;
    }

    private async Task<Effect> ActAsync(object data, CancellationToken cancellationToken) => data switch
    {
        MedicalEmergencyFlagged flagged => Started(await flows.StartMedicalEmergencyAsync(flagged, cancellationToken).ConfigureAwait(false)),
        SupervisorRequested requested => Started(await flows.StartSupervisorCallbackAsync(requested, cancellationToken).ConfigureAwait(false)),
        EscalationRaised raised => Started(await flows.StartEscalationAsync(raised, cancellationToken).ConfigureAwait(false)),
        TransferConnected connected => Delivered(
            await flows.SendToCallAsync(connected.CallId, FlowEvents.TransferConnected, connected, cancellationToken).ConfigureAwait(false), "call", connected.CallId),
        TransferFailed failed => Delivered(
            await flows.SendToCallAsync(failed.CallId, FlowEvents.TransferFailed, failed, cancellationToken).ConfigureAwait(false), "call", failed.CallId),
        CallEnded ended => Delivered(
            await flows.SendToCallAsync(ended.CallId, FlowEvents.CallEnded, ended, cancellationToken).ConfigureAwait(false), "call", ended.CallId),
        SeverityChanged changed => Delivered(
            await flows.SendToServiceJobAsync(changed.ServiceJobId, FlowEvents.SeverityChanged, changed, cancellationToken).ConfigureAwait(false), "service job", changed.ServiceJobId),
        _ => throw new InvalidOperationException($"No effect is defined for {data.GetType().Name}."),
    };

    private static Effect Started(StartResult started) => new(started.InstanceId, started.Created ? "started" : "already running");

    private static Effect Delivered(FlowDelivery delivery, string owner, string key) =>
        delivery.PrimaryId is { } primary
            ? new Effect(primary, delivery.Delivered.Count > 0 ? "event delivered to" : "event for finished")
            : new Effect(null, $"No flow for {owner} '{key}'.");

    private static ContentHttpResult Answer(HttpResponse response, WebhookReceipt receipt)
    {
        if (receipt.Location is { } location)
        {
            response.Headers.Location = location;
        }

        return TypedResults.Content(receipt.Body, "application/json", Encoding.UTF8, receipt.StatusCode);
    }

    private async Task RecordAsync(WebhookReceipt receipt)
    {
        // The flow has started or has the event: answer 202 even if the receipt is lost, or the platform would retry
        // something that already happened. Not cancelled with the request: the work is done, keep its receipt.
        try
        {
            await receipts.RecordAsync(receipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            logger.ReceiptNotRecorded(ex, receipt.WebhookId);
        }
    }

    /// <summary>What a webhook did: the flow to name in the answer (null: none, a 404) and a word for the log or the 404's detail.</summary>
    private sealed record Effect(string? FlowId, string Detail);
}
