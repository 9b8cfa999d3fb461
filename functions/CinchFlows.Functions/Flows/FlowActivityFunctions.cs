using CinchFlows.Flows;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using CinchFlows.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Functions.Flows;

/// <summary>
/// The flows' activities as activity functions, each named after its class (the names the flows call them by). Each
/// body builds the activity class from the invocation's services and runs it, as the standalone host's worker does.
/// </summary>
/// <param name="durable">The client <see cref="StartFlowActivity"/> starts other flows with.</param>
internal sealed class FlowActivityFunctions(BoundDurableTaskClient durable)
{
    /// <summary>The binding-data key under which the extension passes the calling orchestration's instance id.</summary>
    internal const string InstanceIdKey = "instanceId";

    /// <summary><see cref="GetFlowSettingsActivity"/>.</summary>
    [Function(nameof(GetFlowSettingsActivity))]
    public Task<FlowSettings> GetFlowSettings([ActivityTrigger] string? input, FunctionContext context) =>
        RunAsync<GetFlowSettingsActivity, object?, FlowSettings>(nameof(GetFlowSettingsActivity), null, context);

    /// <summary><see cref="SendTelephonyCommandActivity"/>.</summary>
    [Function(nameof(SendTelephonyCommandActivity))]
    public Task<bool> SendTelephonyCommand([ActivityTrigger] TelephonyCommand input, FunctionContext context) =>
        RunAsync<SendTelephonyCommandActivity, TelephonyCommand, bool>(nameof(SendTelephonyCommandActivity), input, context);

    /// <summary><see cref="PublishNotificationActivity"/>.</summary>
    [Function(nameof(PublishNotificationActivity))]
    public Task<bool> PublishNotification([ActivityTrigger] Notification input, FunctionContext context) =>
        RunAsync<PublishNotificationActivity, Notification, bool>(nameof(PublishNotificationActivity), input, context);

    /// <summary><see cref="StartFlowActivity"/>: it starts the other flow through the extension's client.</summary>
    [Function(nameof(StartFlowActivity))]
    public Task<StartResult> StartFlow([ActivityTrigger] StartFlowRequest input, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        durable.Bind(client);
        return RunAsync<StartFlowActivity, StartFlowRequest, StartResult>(nameof(StartFlowActivity), input, context);
    }

    /// <summary><see cref="OpenCallbackTaskActivity"/>.</summary>
    [Function(nameof(OpenCallbackTaskActivity))]
    public Task<CallbackTask> OpenCallbackTask([ActivityTrigger] CallbackTask input, FunctionContext context) =>
        RunAsync<OpenCallbackTaskActivity, CallbackTask, CallbackTask>(nameof(OpenCallbackTaskActivity), input, context);

    /// <summary><see cref="RecordCallbackProgressActivity"/>.</summary>
    [Function(nameof(RecordCallbackProgressActivity))]
    public Task<bool> RecordCallbackProgress([ActivityTrigger] CallbackProgress input, FunctionContext context) =>
        RunAsync<RecordCallbackProgressActivity, CallbackProgress, bool>(nameof(RecordCallbackProgressActivity), input, context);

    /// <summary><see cref="ReadCallbackClaimActivity"/>.</summary>
    [Function(nameof(ReadCallbackClaimActivity))]
    public Task<CallbackClaim?> ReadCallbackClaim([ActivityTrigger] string input, FunctionContext context) =>
        RunAsync<ReadCallbackClaimActivity, string, CallbackClaim?>(nameof(ReadCallbackClaimActivity), input, context);

    /// <summary><see cref="ReadHintActivity"/>.</summary>
    [Function(nameof(ReadHintActivity))]
    public Task<DateTimeOffset?> ReadHint([ActivityTrigger] HintLookup input, FunctionContext context) =>
        RunAsync<ReadHintActivity, HintLookup, DateTimeOffset?>(nameof(ReadHintActivity), input, context);

    /// <summary>Runs <typeparamref name="TActivity"/>, built from the invocation's services, with the invocation's name and instance id.</summary>
    internal static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(string name, TInput input, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = ActivatorUtilities.CreateInstance<TActivity>(context.InstanceServices);
        var instanceId = context.BindingContext.BindingData.TryGetValue(InstanceIdKey, out var id) ? id?.ToString() ?? string.Empty : string.Empty;
        return activity.RunAsync(new FunctionActivityContext(name, instanceId), input);
    }
}
