using CinchFlows.Flows.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Notifications;

/// <summary>Registers the notification transports.</summary>
internal static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NotificationOptions"/> (section <c>Notifications</c>, validated at start) and the
    /// <see cref="INotificationPublisher"/> that <c>Notifications:Transport</c> selects when it is first resolved.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Only the selected transport is ever constructed; the container disposes it.
        services.TryAddSingleton<ServiceBusNotificationPublisher>();
        services.TryAddSingleton<StorageQueueNotificationPublisher>();
        services.TryAddSingleton<InMemoryNotificationPublisher>();
        services.TryAddSingleton<INotificationPublisher>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NotificationOptions).Namespace!);
            if (options.UsesInMemory)
            {
                logger.TransportSelected(NotificationOptions.InMemoryTransport);
                return provider.GetRequiredService<InMemoryNotificationPublisher>();
            }

            logger.TransportSelected(options.UsesServiceBus ? NotificationOptions.ServiceBusTransport : NotificationOptions.StorageQueueTransport);
            return options.UsesServiceBus
                ? provider.GetRequiredService<ServiceBusNotificationPublisher>()
                : provider.GetRequiredService<StorageQueueNotificationPublisher>();
        });
        return services;
    }
}
