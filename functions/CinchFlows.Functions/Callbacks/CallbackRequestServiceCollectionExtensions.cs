using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Callbacks;

/// <summary>Registers the <c>callback-requests</c> queue: its options, the handler and the standalone listener.</summary>
internal static class CallbackRequestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="CallbackRequestOptions"/> (section <c>CallbackRequests</c> of <paramref name="configuration"/>, validated
    /// at start), <see cref="CallbackRequestHandler"/>, and <see cref="CallbackRequestListener"/>, which polls the queue when
    /// <c>Durable:Store</c> is <c>AzureStorage</c> and logs that it is off otherwise.
    /// </summary>
    public static IServiceCollection AddCallbackRequests(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CallbackRequestOptions>().Bind(configuration.GetSection(CallbackRequestOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CallbackRequestOptions>, CallbackRequestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallbackRequestHandler>();
        if (!CustomHandler.CustomHandlerMode.IsActive(configuration))
        {
            // Under the Functions host its queue trigger delivers the messages instead.
            services.AddHostedService<CallbackRequestListener>();
        }

        return services;
    }
}
