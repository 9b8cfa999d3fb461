using CinchFlows.DurableHub;
using CinchFlows.Web.Telephony;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Webhooks;

/// <summary>Registers the telephony webhook: verifier, receipt store and handler.</summary>
internal static class TelephonyWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds the webhook's services: receipts in memory when <c>Durable:Store</c> is <c>InMemory</c>, else in the Azure Table
    /// <c>{TaskHubName}WebhookReceipts</c>; <see cref="TelephonyOptions"/> (section <c>Telephony</c>) when not added yet; and
    /// a startup warning when no webhook secret is configured.
    /// </summary>
    public static IServiceCollection AddTelephonyWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // AddTelephonyCommands binds the same options; binding twice would list every secret twice (harmless, but untidy).
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<TelephonyOptions>)))
        {
            services.AddOptions<TelephonyOptions>().BindConfiguration(TelephonyOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelephonyOptions>, TelephonyOptionsValidator>());
        }

        if (DurableHubServiceCollectionExtensions.ParseStoreKind(configuration[DurableHubServiceCollectionExtensions.StoreKey]) == DurableStoreKind.InMemory)
        {
            services.TryAddSingleton<IWebhookReceiptStore, InMemoryWebhookReceiptStore>();
        }
        else
        {
            services.TryAddSingleton<IWebhookReceiptStore, TableWebhookReceiptStore>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookVerifier>();
        services.TryAddSingleton<TelephonyWebhookHandler>();
        services.AddHostedService<WebhookStartupCheck>();
        return services;
    }
}
