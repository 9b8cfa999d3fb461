using Microsoft.AspNetCore.Authorization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CinchFlows.Web.Access;

/// <summary>Registers API-key, person-token and App Service sign-in authentication and the role policies.</summary>
internal static class AccessServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AccessOptions"/> and <see cref="IdentityOptions"/> (validated at start), the <c>ApiKey</c>,
    /// <c>Bearer</c> and <c>AppService</c> schemes behind the <c>Caller</c> scheme (<see cref="SelectScheme"/>), the "ops"
    /// and "supervisor" policies (reads: a person or a key) and the "ops-person" and "supervisor-person" policies
    /// (actions: a person only).
    /// </summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>());
        services.TryAddSingleton<AccessKeyMatcher>();
        services.TryAddSingleton<RoleGuard>();
        services.AddHostedService<AccessStartupCheck>();

        // AddAuthenticationCore rather than AddAuthentication: the latter also adds data protection, which creates and
        // stores keys on disk at startup, and nothing here needs it (no cookies of the app's own: App Service reads its
        // session cookie itself and passes the person on in a header; bearer tokens are validated, not issued).
        services.AddAuthenticationCore(options => options.DefaultScheme = CallerDefaults.Scheme);
        services.AddWebEncoders();
        services.TryAddSingleton<IAuthenticationConfigurationProvider, AuthenticationSettings>();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.AuthenticationScheme, configureOptions: null)
            .AddJwtBearer(CallerDefaults.BearerScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, AppServiceAuthenticationHandler>(AppServiceDefaults.AuthenticationScheme, configureOptions: null)
            .AddPolicyScheme(CallerDefaults.Scheme, displayName: null, options => options.ForwardDefaultSelector = SelectScheme);
        services.AddOptions<JwtBearerOptions>(CallerDefaults.BearerScheme)
            .Configure<IOptions<IdentityOptions>>((jwt, identity) => ConfigureBearer(jwt, identity.Value));
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Ops, policy => policy
                .AddAuthenticationSchemes(CallerDefaults.Scheme)
                .RequireRole(AccessRoles.Ops))
            .AddPolicy(AccessPolicies.Supervisor, policy => policy
                .AddAuthenticationSchemes(CallerDefaults.Scheme)
                .RequireRole(AccessRoles.Supervisor, AccessRoles.Ops))
            .AddPolicy(AccessPolicies.OpsPerson, policy => policy
                .AddAuthenticationSchemes(CallerDefaults.Scheme)
                .RequireRole(AccessRoles.Ops)
                .AddRequirements(new PersonRequirement()))
            .AddPolicy(AccessPolicies.SupervisorPerson, policy => policy
                .AddAuthenticationSchemes(CallerDefaults.Scheme)
                .RequireRole(AccessRoles.Supervisor, AccessRoles.Ops)
                .AddRequirements(new PersonRequirement()))
            .AddPolicy(AccessPolicies.SignedIn, policy => policy
                .AddAuthenticationSchemes(CallerDefaults.Scheme)
                .RequireAuthenticatedUser())

            // A route that names no policy (and does not say AllowAnonymous) needs the ops role: one added later is
            // closed until it says otherwise. Requests that match no route get it too (401 rather than 404 anonymously).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(CallerDefaults.Scheme).RequireRole(AccessRoles.Ops).Build());
        return services;
    }

    /// <summary>
    /// Which scheme judges the request: a bearer token first (scripts, and people outside the page), then App Service's
    /// sign-in header when Easy Auth is declared in front of the app (otherwise that header is anyone's to write and is
    /// ignored), else the API key.
    /// </summary>
    internal static string SelectScheme(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return CallerDefaults.BearerScheme;
        }

        if (context.Request.Headers.ContainsKey(AppServiceDefaults.PrincipalHeader)
            && context.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.AppServiceAuthentication)
        {
            return AppServiceDefaults.AuthenticationScheme;
        }

        return ApiKeyDefaults.AuthenticationScheme;
    }

    private static void ConfigureBearer(JwtBearerOptions jwt, IdentityOptions identity)
    {
        // Claims keep their token names (roles, preferred_username, oid); CinchFlows maps them itself (CallerClaims).
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.ValidateAudience = true;
        jwt.TokenValidationParameters.ValidateIssuer = true;
        jwt.TokenValidationParameters.ValidateLifetime = true;
        jwt.TokenValidationParameters.RequireExpirationTime = true;
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
        if (!string.IsNullOrWhiteSpace(identity.Audience))
        {
            jwt.Audience = identity.Audience;
        }

        if (identity.UsesSigningKey)
        {
            jwt.TokenValidationParameters.ValidIssuer = identity.Issuer;
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(identity.SigningKey!));
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else if (!string.IsNullOrWhiteSpace(identity.Authority))
        {
            jwt.Authority = identity.Authority;
        }

        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Principal = CallerClaims.FromToken(context.Principal!, CallerDefaults.BearerScheme);
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteProblemAsync(
                    context.HttpContext,
                    StatusCodes.Status401Unauthorized,
                    context.AuthenticateFailure is null ? "Send a bearer token or an API key." : "The bearer token is not valid (signature, issuer, audience or lifetime).");
            },
            OnForbidden = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return WriteProblemAsync(
                    context.HttpContext,
                    StatusCodes.Status403Forbidden,
                    PersonRequirement.WasRefused(context.HttpContext) ? PersonRequirement.SignInDetail : "This token's roles may not call this route.");
            },
        };
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string detail) => CallerProblems.WriteAsync(context, status, detail);
}
