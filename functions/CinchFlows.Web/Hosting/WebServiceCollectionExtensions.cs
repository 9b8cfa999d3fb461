using System.Text.Json.Serialization;
using CinchFlows.DurableHub;
using CinchFlows.Flows;
using CinchFlows.Storage;
using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Callbacks;
using CinchFlows.Web.Health;
using CinchFlows.Web.Hints;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;
using CinchFlows.Web.Notifications;
using CinchFlows.Web.Retention;
using CinchFlows.Web.StuckFlows;
using CinchFlows.Web.Supervision;
using CinchFlows.Web.Telephony;
using CinchFlows.Web.Webhooks;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Hosting;

/// <summary>The one registration of what both hosts serve; each host adds its engine (a <see cref="DurableTaskClient"/>, an <see cref="IInstanceHistory"/>, an <see cref="IEngineHealth"/>).</summary>
internal static class WebServiceCollectionExtensions
{
    private const string NotificationTransportKey = NotificationOptions.SectionName + ":" + nameof(NotificationOptions.Transport);

    /// <summary>True when <c>Durable:Store</c> is <c>InMemory</c>.</summary>
    public static bool IsInMemory(IConfiguration configuration) =>
        DurableHubServiceCollectionExtensions.ParseStoreKind(configuration[DurableHubServiceCollectionExtensions.StoreKey]) == DurableStoreKind.InMemory;

    /// <summary>
    /// Adds the handlers' services: JSON and problem details, access control, health options, the flows' clients and
    /// stores, notifications, telephony commands, the webhook, hints, the callback-request handler, the app's storage,
    /// the management API's instances, escalation acknowledgements, the retention sweep and the stuck-flow check. The tables live in memory
    /// when <c>Durable:Store</c> is <c>InMemory</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (its notification transport may be set here).</param>
    /// <param name="orchestrators">The orchestrators the management API may start.</param>
    public static IServiceCollection AddCinchFlowsWeb(this IServiceCollection services, IConfiguration configuration, OrchestratorCatalog orchestrators)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());

            // Status bodies embed stored JSON a few levels down; leave room above what any body may carry.
            options.SerializerOptions.MaxDepth = 128;
        });
        services.AddApiErrorHandling();
        services.AddAccessControl();
        services.AddHealthCheck();

        var inMemory = IsInMemory(configuration);
        if (inMemory && string.IsNullOrWhiteSpace(configuration[NotificationTransportKey]))
        {
            // Nothing to send to without a storage account: keep notifications in the process (and the log).
            configuration[NotificationTransportKey] = NotificationOptions.InMemoryTransport;
        }

        services.AddOptions<DurableHubOptions>().BindConfiguration(DurableHubOptions.SectionName);
        services.TryAddSingleton(sp =>
        {
            var account = new StorageAccountOptions();
            account.ReadConfiguration(configuration);
            return account;
        });
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton(sp => new AppStorage(
            sp.GetRequiredService<StorageAccountOptions>(),
            sp.GetRequiredService<StorageRequestCounter>(),
            sp.GetRequiredService<IOptions<DurableHubOptions>>().Value.TaskHubName));
        services.TryAddSingleton(orchestrators);
        services.TryAddSingleton<ManagedInstances>();
        if (inMemory)
        {
            services.TryAddSingleton<IEscalationAcknowledgements, InMemoryEscalationAcknowledgements>();
        }
        else
        {
            services.TryAddSingleton<IEscalationAcknowledgements, TableEscalationAcknowledgements>();
        }

        // Who did what to a flow (docs/api.md §5, "Actions taken"); the accessor gives handlers without a request their caller.
        services.AddHttpContextAccessor();
        if (inMemory)
        {
            services.TryAddSingleton<IActionLog, InMemoryActionLog>();
        }
        else
        {
            services.TryAddSingleton<IActionLog, TableActionLog>();
        }

        services.TryAddSingleton<ActionRecorder>();

        services.AddCallCenterFlows(inMemory);
        services.AddNotifications();
        services.AddTelephonyCommands();
        services.AddTelephonyWebhooks(configuration);
        services.AddTranscriptHints();
        services.AddCallbackRequests(configuration);

        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new RetentionSweeper(
            sp.GetRequiredService<DurableTaskClient>(),
            sp.GetRequiredService<ManagedInstances>(),
            sp.GetRequiredService<IOptions<RetentionOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RetentionSweeper>>(),
            inMemory ? null : sp.GetRequiredService<AppStorage>()));

        services.AddOptions<StuckFlowOptions>().BindConfiguration(StuckFlowOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (inMemory)
        {
            services.TryAddSingleton<IStuckFlowLedger, InMemoryStuckFlowLedger>();
        }
        else
        {
            services.TryAddSingleton<IStuckFlowLedger, TableStuckFlowLedger>();
        }

        services.TryAddSingleton<StuckFlowCheck>();
        services.TryAddSingleton(sp => new StuckFlowRepair(
            sp.GetRequiredService<DurableTaskClient>(),
            sp.GetRequiredService<IInstanceHistory>(),
            sp.GetRequiredService<IStuckFlowLedger>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StuckFlowRepair>>(),
            inMemory ? null : sp.GetRequiredService<AppStorage>()));
        return services;
    }
}
