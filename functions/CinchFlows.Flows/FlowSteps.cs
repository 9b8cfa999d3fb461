using System.Text.Json;
using CinchFlows.Durable;
using CinchFlows.Flows.Activities;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;

namespace CinchFlows.Flows;

/// <summary>The steps every flow takes the same way: read settings, send a command, publish a notification.</summary>
internal static class FlowSteps
{
    /// <summary>The settings this run uses (recorded in history by the first call).</summary>
    public static Task<FlowSettings> GetSettingsAsync(this TaskOrchestrationContext context) =>
        context.CallActivityAsync<FlowSettings>(nameof(GetFlowSettingsActivity));

    /// <summary>Sends a command, retried per <paramref name="settings"/> with the command's own idempotency key.</summary>
    public static Task SendCommandAsync(this TaskOrchestrationContext context, FlowSettings settings, TelephonyCommand command) =>
        context.CallActivityAsync<bool>(nameof(SendTelephonyCommandActivity), command, TaskOptions.FromRetryPolicy(settings.Commands.ToRetryPolicy()));

    /// <summary>
    /// Publishes a notification whose message id is "{flow id}:{step}", stable across retries and replays.
    /// <paramref name="properties"/> become application properties; <c>flowId</c> is always added.
    /// </summary>
    public static Task PublishAsync(
        this TaskOrchestrationContext context,
        FlowSettings settings,
        NotificationTopic topic,
        string step,
        string subject,
        object body,
        params (string Name, string? Value)[] properties)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal) { ["flowId"] = context.InstanceId };
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                props[name] = value;
            }
        }

        var notification = new Notification(topic, context.InstanceId + ":" + step, subject, props, JsonSerializer.SerializeToElement(body, DurableJson.Options));
        return context.CallActivityAsync<bool>(nameof(PublishNotificationActivity), notification, TaskOptions.FromRetryPolicy(settings.Commands.ToRetryPolicy()));
    }
}
