namespace CinchFlows.Web.Telephony;

/// <summary>How the service talks with the telephony platform (configuration section <c>Telephony</c>, docs/api.md §1, §2).</summary>
internal sealed class TelephonyOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Telephony";

    /// <summary>
    /// The <c>whsec_…</c> secrets accepted on incoming webhooks (any one may sign, so secrets can rotate). Default is none,
    /// and then the webhook endpoint answers 401 to every call.
    /// </summary>
    public string[] WebhookSecrets { get; set; } = [];

    /// <summary>How far a webhook's timestamp may be from now, either way. Default is 5 minutes.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where commands to the telephony platform are POSTed (absolute http or https). Default is none: sending throws.</summary>
    public Uri? CommandsUrl { get; set; }

    /// <summary>The <c>whsec_…</c> secret that signs outgoing commands; required with <see cref="CommandsUrl"/>. Default is none.</summary>
    public string? CommandSecret { get; set; }

    /// <summary>How long one command delivery may take before it counts as failed (and is retried). Default is 10 seconds.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
