using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Starts;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CinchFlows.Flows;

/// <summary>Dependency-injection entry points of the call-center flows.</summary>
public static class FlowsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the three flows to the Durable Task registry under their contract names (<see cref="FlowNames"/>), and
    /// every activity under its class name. Activities take their dependencies from the worker's services; the
    /// orchestrators need none.
    /// </summary>
    public static DurableTaskRegistry AddCallCenterFlows(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<MedicalEmergencyTransferOrchestration>(FlowNames.MedicalEmergencyTransfer)
            .AddOrchestrator<SeverityEscalationOrchestration>(FlowNames.SeverityEscalation)
            .AddOrchestrator<SupervisorCallbackOrchestration>(FlowNames.SupervisorCallback)
            .AddActivity<GetFlowSettingsActivity>(nameof(GetFlowSettingsActivity))
            .AddActivity<SendTelephonyCommandActivity>(nameof(SendTelephonyCommandActivity))
            .AddActivity<PublishNotificationActivity>(nameof(PublishNotificationActivity))
            .AddActivity<StartFlowActivity>(nameof(StartFlowActivity))
            .AddActivity<OpenCallbackTaskActivity>(nameof(OpenCallbackTaskActivity))
            .AddActivity<RecordCallbackProgressActivity>(nameof(RecordCallbackProgressActivity))
            .AddActivity<ReadCallbackClaimActivity>(nameof(ReadCallbackClaimActivity))
            .AddActivity<ReadHintActivity>(nameof(ReadHintActivity));
    }

    /// <summary>
    /// Adds the flows' options (validated at start), their client, the callback-task store, the hint ledger and the start claims: in memory when
    /// <paramref name="inMemory"/>, else the Azure Table on the app's storage account. The ports
    /// (<see cref="INotificationPublisher"/>, <see cref="ITelephonyCommands"/>), the Durable Task client the flow and
    /// callback clients use, and (for the Table store) <see cref="CinchFlows.Storage.AppStorage"/> are the host's to add.
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
            services.TryAddSingleton<IHintLedger, InMemoryHintLedger>();
            services.TryAddSingleton<IStartClaims, InMemoryStartClaims>();
        }
        else
        {
            services.TryAddSingleton<ICallbackTaskStore, TableCallbackTaskStore>();
            services.TryAddSingleton<IHintLedger, TableHintLedger>();
            services.TryAddSingleton<IStartClaims, TableStartClaims>();
        }

        return services;
    }
}
