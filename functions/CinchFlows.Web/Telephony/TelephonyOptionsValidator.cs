using CinchFlows.Web.Webhooks;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Telephony;

/// <summary>Checks that every secret decodes, the commands URL is https (http only to loopback) with a secret to sign, and times are positive.</summary>
/// <remarks>
/// No webhook secrets is allowed on purpose: hosts that do not take telephony webhooks (tests, tools) still start, and the
/// webhook endpoint then refuses every call with 401. Failure messages name the key, never the secret.
/// </remarks>
internal sealed class TelephonyOptionsValidator : IValidateOptions<TelephonyOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TelephonyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = TelephonyOptions.SectionName;
        for (var i = 0; i < options.WebhookSecrets.Length; i++)
        {
            if (!Decodes(options.WebhookSecrets[i]))
            {
                failures.Add($"{section}:{nameof(TelephonyOptions.WebhookSecrets)}:{i} is not a webhook secret: expected whsec_ followed by base64.");
            }
        }

        if (options.WebhookTolerance <= TimeSpan.Zero)
        {
            failures.Add($"{section}:{nameof(TelephonyOptions.WebhookTolerance)} must be positive.");
        }

        if (options.CommandsUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{section}:{nameof(TelephonyOptions.CommandsUrl)} must be an absolute http or https URL.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
            {
                // Keyed on the host, not the environment name: a loopback URL never leaves the machine (the demo, the
                // tests' receivers), any other carries signed commands over a network and must be https.
                failures.Add($"{section}:{nameof(TelephonyOptions.CommandsUrl)} must be https: plain http is allowed only to a loopback host (127.0.0.1, localhost, [::1]); got host {url.Host}.");
            }

            if (string.IsNullOrEmpty(options.CommandSecret))
            {
                failures.Add($"{section}:{nameof(TelephonyOptions.CommandSecret)} is required when {section}:{nameof(TelephonyOptions.CommandsUrl)} is set: commands are always signed.");
            }
        }

        if (!string.IsNullOrEmpty(options.CommandSecret) && !Decodes(options.CommandSecret))
        {
            failures.Add($"{section}:{nameof(TelephonyOptions.CommandSecret)} is not a webhook secret: expected whsec_ followed by base64.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:{nameof(TelephonyOptions.CommandTimeout)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Decodes(string? secret)
    {
        if (secret is null)
        {
            return false;
        }

        try
        {
            StandardWebhookSignature.DecodeSecret(secret);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
