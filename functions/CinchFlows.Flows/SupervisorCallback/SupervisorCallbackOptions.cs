using System.ComponentModel.DataAnnotations;
using CinchFlows.Flows.Shared;

namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>Settings of F3, the supervisor callback (section <c>Flows:SupervisorCallback</c>).</summary>
public sealed class SupervisorCallbackOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Flows:SupervisorCallback";

    /// <summary>The supervisors' hunt-group extension a call is warm-transferred to. Default is "69100"; set your own.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SupervisorExtension { get; set; } = "69100";

    /// <summary>How long to wait for "transfer connected" to a supervisor. Default is 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Transfer attempts to a supervisor before falling back to a callback task. Default is 2.</summary>
    [Range(1, 20)]
    public int TransferAttempts { get; set; } = 2;

    /// <summary>How long a tier has to claim the callback before it is told again. Default is 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Notifications each tier gets (the first and the reminders) before the next tier is told. Default is 2: the manager after the second miss.</summary>
    [Range(1, 20)]
    public int NotificationsPerTier { get; set; } = 2;

    /// <summary>Who is told, in order, comma-separated. Default is "supervisor,manager".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Tiers { get; set; } = "supervisor,manager";

    /// <summary>How long the supervisor who claimed the callback has to complete it. Default is 4 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan CompletionDeadline { get; set; } = TimeSpan.FromHours(4);

    /// <summary>After every tier missed it (ops alerted, callback shown as breached), how long it can still be claimed before the flow gives up. Default is 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan BreachedClaimWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The tiers as a list.</summary>
    public IReadOnlyList<string> TierList() => FlowText.SplitList(Tiers);
}
