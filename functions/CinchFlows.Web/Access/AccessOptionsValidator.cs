using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>Checks every key: present, long enough outside Development, a known role, no key twice.</summary>
internal sealed class AccessOptionsValidator(IHostEnvironment environment) : IValidateOptions<AccessOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(key, new ValidationContext(key), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"Access:Keys:{i}: {r.ErrorMessage}"));
                continue;
            }

            if (AccessRoles.Normalize(key.Role) is null)
            {
                failures.Add($"Access:Keys:{i}: role must be '{AccessRoles.Ops}' or '{AccessRoles.Supervisor}', not '{key.Role}'.");
            }

            // Short keys are for local runs only: a guessable key on a deployed app is an open door.
            if (!environment.IsDevelopment() && key.Key.Length < AccessOptions.MinimumKeyLength)
            {
                failures.Add($"Access:Keys:{i}: key must be at least {AccessOptions.MinimumKeyLength} characters outside Development.");
            }

            // App Service leaves a Key Vault reference it cannot resolve (secret missing, no access) as its literal text:
            // text anyone reading the app's settings knows must never open the API.
            if (key.Key.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"Access:Keys:{i}: key is an unresolved Key Vault reference; create the secret and grant the app's identity Key Vault Secrets User.");
            }

            if (!seen.Add(key.Key))
            {
                failures.Add($"Access:Keys:{i}: the same key is configured twice.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
