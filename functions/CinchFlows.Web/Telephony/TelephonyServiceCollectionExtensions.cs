using CinchFlows.Flows.Telephony;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Telephony;

/// <summary>Registers the telephony options and the signed command sender.</summary>
internal static class TelephonyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TelephonyOptions"/> (section <c>Telephony</c>, validated at start) and <see cref="ITelephonyCommands"/>
    /// as <see cref="SignedTelephonyCommandSender"/> over the named client <see cref="SignedTelephonyCommandSender.HttpClientName"/>.
    /// </summary>
    public static IServiceCollection AddTelephonyCommands(this IServiceCollection services)
    {
        services.AddOptions<TelephonyOptions>().BindConfiguration(TelephonyOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelephonyOptions>, TelephonyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The sender enforces Telephony:CommandTimeout itself (on the injected clock); HttpClient's own 100 s must not cut in first.
        // Redirects are not followed: a 307 would POST the signed command again to wherever the answer points. A 3xx is a
        // failed send like any other non-2xx.
        services.AddHttpClient(SignedTelephonyCommandSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        // A singleton over IHttpClientFactory (not a typed client), so activities may hold it for as long as they like
        // and still get rotated handlers.
        services.TryAddSingleton<ITelephonyCommands, SignedTelephonyCommandSender>();
        return services;
    }
}
