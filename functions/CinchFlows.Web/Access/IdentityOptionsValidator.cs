using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>Checks the <c>Identity</c> section: nothing (no bearer tokens), or exactly one of the two modes, complete.</summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var entra = !string.IsNullOrWhiteSpace(options.Authority);
        var local = !string.IsNullOrWhiteSpace(options.Issuer) || !string.IsNullOrWhiteSpace(options.SigningKey);
        if (entra == local)
        {
            failures.Add("Identity: set either Authority (Entra ID, in Azure) or Issuer and SigningKey (local runs and tests), not both and not neither.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Identity:Audience is required: a token issued for another app must not open this one.");
        }

        if (local && !entra)
        {
            if (string.IsNullOrWhiteSpace(options.Issuer))
            {
                failures.Add("Identity:Issuer is required with Identity:SigningKey.");
            }

            if ((options.SigningKey?.Length ?? 0) < IdentityOptions.MinimumSigningKeyLength)
            {
                failures.Add($"Identity:SigningKey must be at least {IdentityOptions.MinimumSigningKeyLength} characters.");
            }
        }

        if (entra && (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Identity:Authority must be an absolute https URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
