using CinchFlows.Durable.Hosting;
using CinchFlows.Flows.Activities;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Escalations;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SupervisorCallbacks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CinchFlows.Flows;

/// <summary>Dependency-injection entry points of the call-center flows.</summary>
public static class FlowsServiceCollectionExtensions
{
    /// <summary>Adds the three flows and their activities to the runtime's registry.</summary>
    public static DurableTaskRegistry AddCallCenterFlows(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<MedicalEmergencyTransferOrchestration>(FlowNames.MedicalEmergencyTransfer)
            .AddOrchestrator<SeverityEscalationOrchestration>(FlowNames.SeverityEscalation)
            .AddOrchestrator<SupervisorCallbackOrchestration>(FlowNames.SupervisorCallback)
            .AddActivity<GetFlowSettingsActivity>()
            .AddActivity<SendTelephonyCommandActivity>()
            .AddActivity<PublishNotificationActivity>()
            .AddActivity<OpenCallbackTaskActivity>()
            .AddActivity<RecordCallbackProgressActivity>()
            .AddActivity<ReadCallbackClaimActivity>();
    }

    /// <summary>
    /// Adds the flows' options (validated at start), their client and the callback-task store: in memory when
    /// <paramref name="inMemory"/>, else the Azure Table on the app's storage account. The ports
    /// (<see cref="Notifications.INotificationPublisher"/>, <see cref="Telephony.ITelephonyCommands"/>) are the host's to add.
    /// </summary>
    public static IServiceCollection AddCallCenterFlows(this IServiceCollection services, bool inMemory)
    {
        services.AddOptions<MedicalEmergencyOptions>().BindConfiguration(MedicalEmergencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SupervisorCallbackOptions>().BindConfiguration(SupervisorCallbackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FlowCommandOptions>().BindConfiguration(FlowCommandOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<EscalationOptions>, EscalationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<SupervisorCallbackOptions>, SupervisorCallbackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallCenterFlowClient>();
        services.TryAddSingleton<CallbackTaskClient>();
        if (inMemory)
        {
            services.TryAddSingleton<ICallbackTaskStore, InMemoryCallbackTaskStore>();
        }
        else
        {
            services.TryAddSingleton<ICallbackTaskStore, TableCallbackTaskStore>();
        }

        return services;
    }
}
