using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Hints;

/// <summary>Checks that the configured lexicon names known protocols and that no protocol is left without a phrase.</summary>
internal sealed class HintOptionsValidator : IValidateOptions<HintOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, HintOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var unknown in options.UnknownProtocols())
        {
            failures.Add($"{HintOptions.SectionName}: '{unknown}' is not a protocol; use MedicalEmergency, PotentialRisk, Legal or Media.");
        }

        foreach (var (protocol, phrases) in options.EffectiveLexicon())
        {
            if (!phrases.Any(p => !string.IsNullOrWhiteSpace(p)))
            {
                failures.Add($"{HintOptions.SectionName}:{nameof(HintOptions.Lexicon)}:{protocol} has no phrase: that protocol would never be hinted.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
