namespace CinchFlows.Web.Access;

/// <summary>Names of the App Service sign-in scheme (Easy Auth in front of the app, <c>Identity:AppServiceAuthentication</c>).</summary>
internal static class AppServiceDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string AuthenticationScheme = "AppService";

    /// <summary>The header App Service writes for a signed-in browser: Base64 of <c>{"auth_typ","claims":[{"typ","val"}],"name_typ","role_typ"}</c>.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>
    /// The header the ops page sends on every call. A cookie session would let any other site's page POST with the
    /// person's cookie; a custom header cannot be sent cross-site without a CORS preflight, which this app never grants.
    /// </summary>
    public const string PageHeader = "X-CinchFlows-Page";

    /// <summary>Where a person signs in (App Service's login for Microsoft Entra), back to the ops page afterwards.</summary>
    public const string SignInPath = "/.auth/login/aad?post_login_redirect_uri=/api/ops/";

    /// <summary>
    /// The longest principal header read, in characters. An ID token's claims encode to a few KB (and Kestrel refuses
    /// more than 32 KB of headers in all); a longer one is refused with 401 rather than decoded.
    /// </summary>
    public const int MaxPrincipalLength = 24 * 1024;
}
