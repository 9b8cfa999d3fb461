namespace CinchFlows.Web.Access;

/// <summary>How people's bearer tokens are validated (configuration section <c>Identity</c>): Entra ID in Azure, a development key locally.</summary>
internal sealed class IdentityOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Identity";

    /// <summary>Shortest signing key accepted (HS256 needs 256 bits).</summary>
    public const int MinimumSigningKeyLength = 32;

    /// <summary>The token issuer's OpenID authority (Entra: <c>https://login.microsoftonline.com/{tenant}/v2.0</c>). Default is none.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the app registration's client id or application id URI). Default is none.</summary>
    public string? Audience { get; set; }

    /// <summary>Local runs and tests: the issuer of tokens signed with <see cref="SigningKey"/>. Default is none.</summary>
    public string? Issuer { get; set; }

    /// <summary>Local runs and tests: the symmetric key (UTF-8, at least 32 characters) tokens are signed with. Default is none.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// True when App Service built-in authentication (Easy Auth) signs people in in front of the app, so its
    /// <c>X-MS-CLIENT-PRINCIPAL</c> header names the signed-in person. Only set it where Easy Auth is on: App Service strips
    /// that header from outside requests only then, and anywhere else anyone could write it. Default is false (the header
    /// is ignored).
    /// </summary>
    public bool AppServiceAuthentication { get; set; }

    /// <summary>True when any setting is given: bearer tokens are then accepted, and the settings must be complete.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(Audience) || !string.IsNullOrWhiteSpace(Issuer) || !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>True in the local mode (issuer and signing key).</summary>
    public bool UsesSigningKey => !string.IsNullOrWhiteSpace(SigningKey);
}
