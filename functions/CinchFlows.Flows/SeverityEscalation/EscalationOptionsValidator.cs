using Microsoft.Extensions.Options;

namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>Checks what data annotations cannot: the taxonomy, the tiers and the provider call window.</summary>
internal sealed class EscalationOptionsValidator : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        var failures = new List<string>();
        if (options.TierList().Count == 0)
        {
            failures.Add("Flows:Escalation:Tiers must name at least one tier.");
        }

        if (options.ProviderCallWindowStart < TimeSpan.Zero || options.ProviderCallWindowEnd > TimeSpan.FromDays(1) || options.ProviderCallWindowStart >= options.ProviderCallWindowEnd)
        {
            failures.Add("Flows:Escalation:ProviderCallWindowStart must be before ProviderCallWindowEnd, both within one day (e.g. 09:00 and 18:00).");
        }

        foreach (var (reason, entry) in options.Reasons)
        {
            if (!BusinessKeys.IsValid(reason))
            {
                failures.Add($"Flows:Escalation:Reasons key '{reason}' must be a kebab-case key of letters, digits and '-'.");
            }

            if (entry.SubReasonList().Count == 0)
            {
                failures.Add($"Flows:Escalation:Reasons:{reason}:SubReasons must list at least one sub-reason.");
            }

            if (!Enum.IsDefined(entry.Route))
            {
                failures.Add($"Flows:Escalation:Reasons:{reason}:Route is not a known route.");
            }

            if (!Enum.IsDefined(entry.DefaultSeverity))
            {
                failures.Add($"Flows:Escalation:Reasons:{reason}:DefaultSeverity is not a known severity.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
