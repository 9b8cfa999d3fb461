using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>
/// A person signed in by App Service built-in authentication (Easy Auth, Microsoft Entra): the person App Service names
/// in <c>X-MS-CLIENT-PRINCIPAL</c>, as the same person principal a bearer token gives (<see cref="CallerClaims"/>). Only
/// with <c>Identity:AppServiceAuthentication</c> on, and only with the page's <c>X-CinchFlows-Page</c> header (the
/// session is a cookie: without it another site could act for the person). Anything wrong is 401, never a 500.
/// </summary>
internal sealed class AppServiceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<IdentityOptions> identity)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The 401's detail when the page's header is missing.</summary>
    public const string PageHeaderDetail =
        "Signed in through App Service, but the request lacks the " + AppServiceDefaults.PageHeader + ": 1 header the ops page sends: a cookie session only acts from the page itself.";

    private const string InvalidDetail = "The App Service sign-in header (" + AppServiceDefaults.PrincipalHeader + ") is not valid.";

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!identity.Value.AppServiceAuthentication
            || !Request.Headers.TryGetValue(AppServiceDefaults.PrincipalHeader, out var values)
            || values.Count == 0
            || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count != 1 || Parse(values[0]!) is not { } principal)
        {
            return Task.FromResult(AuthenticateResult.Fail(InvalidDetail));
        }

        if (Request.Headers[AppServiceDefaults.PageHeader] != "1")
        {
            return Task.FromResult(AuthenticateResult.Fail(PageHeaderDetail));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await CallerProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message ?? "Sign in.");
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return CallerProblems.WriteAsync(
            Context,
            StatusCodes.Status403Forbidden,
            PersonRequirement.WasRefused(Context) ? PersonRequirement.SignInDetail : "Your roles (app roles Supervisor, Ops) may not call this route.");
    }

    /// <summary>The person in an <c>X-MS-CLIENT-PRINCIPAL</c> value, or null when it is not Base64 of an Entra principal that names someone.</summary>
    private ClaimsPrincipal? Parse(string header)
    {
        if (header.Length > AppServiceDefaults.MaxPrincipalLength)
        {
            return null;
        }

        var bytes = new byte[header.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(header, bytes, out var length))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("auth_typ", out var authType) || authType.ValueKind != JsonValueKind.String
                || !string.Equals(authType.GetString(), "aad", StringComparison.OrdinalIgnoreCase)
                || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            // App Service names the role claims' type in role_typ, but on Entra they often arrive as "roles" anyway.
            var roleType = root.TryGetProperty("role_typ", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            string? preferred = null, oid = null, name = null;
            var roles = new List<string>();
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String
                    || !claim.TryGetProperty("val", out var val) || val.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                var type = typ.GetString()!;
                var value = val.GetString()!;
                switch (type)
                {
                    case "preferred_username":
                        preferred ??= value;
                        break;
                    case "oid" or CallerClaims.ObjectIdLongName:
                        oid ??= value;
                        break;
                    case "name":
                        name ??= value;
                        break;
                    case "roles" or ClaimTypes.Role:
                        roles.Add(value);
                        break;
                    default:
                        if (type == roleType)
                        {
                            roles.Add(value);
                        }

                        break;
                }
            }

            var id = CallerClaims.PersonIdFrom(preferred, oid);
            return id is null ? null : CallerClaims.Build(id, string.IsNullOrWhiteSpace(name) ? id : name, roles, Scheme.Name);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not UTF-8 (GetString throws InvalidOperationException).
            return null;
        }
    }
}
