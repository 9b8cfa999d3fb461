namespace CinchFlows.Web.Webhooks;

/// <summary>What checking a webhook's Standard Webhooks headers found; the 401 answer tells these failures apart.</summary>
internal enum WebhookVerification
{
    /// <summary>Signed with a configured secret, within the timestamp tolerance.</summary>
    Valid,

    /// <summary>A header is missing or malformed, no secret is configured, or no signature matches.</summary>
    InvalidSignature,

    /// <summary>The <c>webhook-signature</c> header carries more entries than <see cref="StandardWebhookSignature.MaxSignatures"/>; none was checked.</summary>
    TooManySignatures,

    /// <summary>Correctly signed, but the timestamp is further from now than the tolerance (a replay or a wrong clock).</summary>
    TimestampOutOfTolerance,
}
