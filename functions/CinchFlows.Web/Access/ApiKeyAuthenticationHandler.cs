using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>Authenticates callers by the <c>X-Api-Key</c> header; answers 401 and 403 as problem details.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessKeyMatcher matcher)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var role = values.Count == 1 ? matcher.FindRole(values[0]) : null;
        if (role is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not known."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role), new Claim(CallerClaims.Kind, CallerClaims.KeyKind)],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = ApiKeyDefaults.Challenge;
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            result.Failure is null
                ? $"Send an API key in the {ApiKeyDefaults.HeaderName} header."
                : result.Failure.Message);
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            PersonRequirement.WasRefused(Context) ? PersonRequirement.SignInDetail : "This API key's role may not call this route.");
    }

    private Task WriteProblemAsync(int status, string detail) => CallerProblems.WriteAsync(Context, status, detail);
}
