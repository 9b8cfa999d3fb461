using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Callbacks;

/// <summary>Registers the <c>callback-requests</c> queue: its options and the handler (the standalone host adds its listener, the Functions app has a queue trigger).</summary>
internal static class CallbackRequestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="CallbackRequestOptions"/> (section <c>CallbackRequests</c> of <paramref name="configuration"/>, validated
    /// at start) and <see cref="CallbackRequestHandler"/>.
    /// </summary>
    public static IServiceCollection AddCallbackRequests(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CallbackRequestOptions>().Bind(configuration.GetSection(CallbackRequestOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CallbackRequestOptions>, CallbackRequestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallbackRequestHandler>();
        return services;
    }
}
