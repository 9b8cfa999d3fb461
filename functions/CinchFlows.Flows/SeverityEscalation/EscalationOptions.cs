using System.ComponentModel.DataAnnotations;
using CinchFlows.Flows.Shared;

namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>Settings of F2, the severity escalation (section <c>Flows:Escalation</c>).</summary>
/// <remarks>
/// Lists are comma-separated strings, not arrays: the configuration binder appends array items to a default list
/// instead of replacing it, which would make an override of the tiers impossible.
/// </remarks>
public sealed class EscalationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Flows:Escalation";

    /// <summary>The acknowledgement SLA for Normal severity. Default is 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AcknowledgeTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The SLA for High severity, as a fraction of <see cref="AcknowledgeTimeout"/>. Default is 0.5 (15 minutes).</summary>
    [Range(0.001, 1.0)]
    public double HighSeverityFactor { get; set; } = 0.5;

    /// <summary>The SLA for Critical severity, as a fraction of <see cref="AcknowledgeTimeout"/>. Default is 0.25 (7.5 minutes).</summary>
    [Range(0.001, 1.0)]
    public double CriticalSeverityFactor { get; set; } = 0.25;

    /// <summary>The SLA for Medical Emergency, as a fraction of <see cref="AcknowledgeTimeout"/>. Default is 1/6 (5 minutes).</summary>
    [Range(0.001, 1.0)]
    public double MedicalEmergencySeverityFactor { get; set; } = 1.0 / 6;

    /// <summary>Who is told, in order, when nobody acknowledges, comma-separated. Default is "group,supervisor,manager".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Tiers { get; set; } = "group,supervisor,manager";

    /// <summary>Ops reminders after the last tier missed its SLA, before the flow ends unacknowledged. Default is 3.</summary>
    [Range(1, 100)]
    public int OpsReminders { get; set; } = 3;

    /// <summary>The address an attorney is given; only ever placed in Legal-route messages. Default is "legal@cinchhs.com".</summary>
    [Required(AllowEmptyStrings = false)]
    public string LegalContactAddress { get; set; } = "legal@cinchhs.com";

    /// <summary>When a provider's business day starts, in their local time. Default is 09:00.</summary>
    public TimeSpan ProviderCallWindowStart { get; set; } = TimeSpan.FromHours(9);

    /// <summary>When a provider's business day ends, in their local time. Default is 18:00.</summary>
    public TimeSpan ProviderCallWindowEnd { get; set; } = TimeSpan.FromHours(18);

    /// <summary>The escalation taxonomy by reason key (kebab-case); configuration may add reasons. Default is docs/api.md §4's table.</summary>
    public Dictionary<string, EscalationReasonOptions> Reasons { get; set; } = DefaultReasons();

    /// <summary>The tiers as a list.</summary>
    public IReadOnlyList<string> TierList() => FlowText.SplitList(Tiers);

    /// <summary>The acknowledgement SLA for <paramref name="severity"/>.</summary>
    public TimeSpan AcknowledgeTimeoutFor(EscalationSeverity severity) => severity switch
    {
        EscalationSeverity.High => AcknowledgeTimeout * HighSeverityFactor,
        EscalationSeverity.Critical => AcknowledgeTimeout * CriticalSeverityFactor,
        EscalationSeverity.MedicalEmergency => AcknowledgeTimeout * MedicalEmergencySeverityFactor,
        _ => AcknowledgeTimeout,
    };

    /// <summary>The taxonomy entry for a reason/sub-reason pair, or null when the pair is unknown.</summary>
    public EscalationReasonOptions? Find(string reason, string subReason) =>
        Reasons.TryGetValue(reason, out var entry) && entry.SubReasonList().Contains(subReason, StringComparer.Ordinal) ? entry : null;

    private static Dictionary<string, EscalationReasonOptions> DefaultReasons()
    {
        var reasons = new Dictionary<string, EscalationReasonOptions>(StringComparer.Ordinal);
        foreach (var complaint in new[] { "failure-to-act", "coverage-decision", "service-delay", "untimely-response", "lack-of-communication", "staff-behavior" })
        {
            reasons[complaint] = new() { Route = EscalationRoute.CustomerServiceEscalations, SubReasons = "general" };
        }

        reasons["medical-emergency"] = new() { Route = EscalationRoute.ClaimsSpecialist, SubReasons = "disclosed,worsened-by-failure", DefaultSeverity = EscalationSeverity.MedicalEmergency };
        reasons["safety-risk"] = new() { Route = EscalationRoute.PotentialRisk, SubReasons = "unsafe,threats-or-harassment,police-contacted,lawsuit", DefaultSeverity = EscalationSeverity.High };
        reasons["media-contact"] = new() { Route = EscalationRoute.MediaPolicy, SubReasons = "reporter-contact,customer-contacted-media", DefaultSeverity = EscalationSeverity.High };
        reasons["legal-contact"] = new() { Route = EscalationRoute.Legal, SubReasons = "attorney-on-behalf", DefaultSeverity = EscalationSeverity.High };
        return reasons;
    }
}
