using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Access;

/// <summary>Registers API-key authentication and the role policies.</summary>
internal static class AccessServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AccessOptions"/> (validated at start), the <c>ApiKey</c> scheme and the "ops" and "supervisor" policies.</summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.TryAddSingleton<AccessKeyMatcher>();
        services.TryAddSingleton<RoleGuard>();
        services.AddHostedService<AccessStartupCheck>();

        // AddAuthenticationCore rather than AddAuthentication: the latter also adds data protection, which creates and
        // stores keys on disk at startup, and nothing here needs it (no cookies, no tokens).
        services.AddAuthenticationCore(options => options.DefaultScheme = ApiKeyDefaults.AuthenticationScheme);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.AuthenticationScheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Ops, policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.AuthenticationScheme)
                .RequireRole(AccessRoles.Ops))
            .AddPolicy(AccessPolicies.Supervisor, policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.AuthenticationScheme)
                .RequireRole(AccessRoles.Supervisor, AccessRoles.Ops));
        return services;
    }
}
