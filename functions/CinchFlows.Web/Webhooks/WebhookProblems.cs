using System.Globalization;
using CinchFlows.Web.Http;

namespace CinchFlows.Web.Webhooks;

/// <summary>The problem details results of the telephony webhook that the rest of the API has no use for.</summary>
internal static class WebhookProblems
{
    /// <summary>401 for missing, malformed or unmatched signature headers; does not tell which.</summary>
    public static IResult InvalidSignature() => TypedResults.Problem(
        "The webhook-id, webhook-timestamp and webhook-signature headers are missing, malformed, or not signed with a secret this service accepts.",
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Invalid webhook signature");

    /// <summary>401 for a <c>webhook-signature</c> header with more entries than the service reads.</summary>
    public static IResult TooManySignatures() => TypedResults.Problem(
        string.Create(CultureInfo.InvariantCulture, $"The webhook-signature header carries more than {StandardWebhookSignature.MaxSignatures} signatures; send at most {StandardWebhookSignature.MaxSignatures} (one per secret in use)."),
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Too many webhook signatures");

    /// <summary>401 for a correctly signed webhook whose timestamp is too far from now.</summary>
    public static IResult TimestampOutOfTolerance(TimeSpan tolerance) => TypedResults.Problem(
        string.Create(CultureInfo.InvariantCulture, $"The webhook-timestamp is more than {tolerance.TotalSeconds:0} seconds away from the service's clock; sign the delivery again with the current time."),
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Webhook timestamp out of tolerance");

    /// <summary>415 for a body that is not JSON.</summary>
    public static IResult UnsupportedMediaType() => TypedResults.Problem(
        "The body must be a CloudEvents event sent as application/cloudevents+json or application/json (UTF-8).",
        statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>404 for an event about a call or service job that has no flow.</summary>
    public static IResult NoFlow(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No flow");

    /// <summary>503 with <c>Retry-After</c>, for an event to a flow the engine has not started yet; the webhook may be delivered again.</summary>
    public static IResult FlowStarting(HttpResponse response, string detail)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = ApiErrorHandlingExtensions.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Flow starting");
    }

    /// <summary>503 with <c>Retry-After</c>, for a storage outage; the webhook may be delivered again.</summary>
    public static IResult StorageUnavailable(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = ApiErrorHandlingExtensions.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            "Storage is not reachable; deliver the webhook again later.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service unavailable");
    }

    /// <summary>503 with <c>Retry-After</c>, for a hint the telephony platform did not take; the segment may be delivered again.</summary>
    public static IResult HintUndelivered(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = ApiErrorHandlingExtensions.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            "The hint for this segment could not be sent to the telephony platform; deliver the segment again later.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Hint not delivered");
    }
}
