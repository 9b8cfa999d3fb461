using System.Text.Json;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Starts;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Versioning;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.Shared;

/// <summary>The steps every flow takes the same way: read settings, send a command, publish a notification, start another flow.</summary>
internal static class FlowSteps
{
    /// <summary>Sets the flow's custom status, stamped with the version the flow started on, so a list of flows shows who still runs an old version.</summary>
    public static void SetFlowStatus(this TaskOrchestrationContext context, FlowStatus status) =>
        context.SetCustomStatus(status with { Version = string.IsNullOrEmpty(context.Version) ? null : context.Version });

    /// <summary>The settings this run uses (recorded in history by the first call).</summary>
    public static Task<FlowSettings> GetSettingsAsync(this TaskOrchestrationContext context) =>
        context.CallActivityAsync<FlowSettings>(nameof(GetFlowSettingsActivity));

    /// <summary>The most attempts <see cref="StartRetry"/> makes (a guard against a retry interval of almost nothing).</summary>
    private const int MaxStartAttempts = 200;

    /// <summary>Sends a command, retried per <paramref name="settings"/> with the command's own idempotency key.</summary>
    public static Task SendCommandAsync(this TaskOrchestrationContext context, FlowSettings settings, TelephonyCommand command) =>
        context.CallActivityAsync<bool>(nameof(SendTelephonyCommandActivity), command, Retry(settings));

    /// <summary>The retry options of commands, notifications and the flows' own storage activities.</summary>
    public static TaskOptions Retry(FlowSettings settings) => TaskOptions.FromRetryPolicy(settings.Commands.ToRetryPolicy());

    /// <summary>
    /// The retry options of starting another flow: those of <see cref="Retry"/>, with as many more attempts as it takes
    /// for the waits between them to add up to more than <see cref="StartClaim.Timeout"/> and a quarter. A start finds
    /// the id's claim held while another start of it runs, and for that long when its holder died before releasing it
    /// (a worker killed, storage gone mid-start): the flow must still be started once the claim lapses.
    /// </summary>
    public static TaskOptions StartRetry(FlowSettings settings)
    {
        var policy = settings.Commands.ToRetryPolicy();
        var wanted = StartClaim.Timeout + (StartClaim.Timeout / 4);
        var attempts = 1;
        var waited = TimeSpan.Zero;
        var delay = policy.FirstRetryInterval;
        while (waited <= wanted && attempts < MaxStartAttempts)
        {
            waited += delay < policy.MaxRetryInterval ? delay : policy.MaxRetryInterval;
            delay = TimeSpan.FromTicks((long)Math.Min(delay.Ticks * Math.Max(policy.BackoffCoefficient, 1), TimeSpan.FromDays(1).Ticks));
            attempts++;
        }

        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            Math.Max(attempts, policy.MaxNumberOfAttempts), policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval, policy.RetryTimeout));
    }

    /// <summary>
    /// The retry options of notifications: those of <see cref="Retry"/>, except that a notification that can never be
    /// sent (<see cref="NotificationUndeliverableException"/>) is not tried again.
    /// </summary>
    public static TaskOptions NotificationRetry(FlowSettings settings)
    {
        var policy = settings.Commands.ToRetryPolicy();
        return TaskOptions.FromRetryPolicy(
            new RetryPolicy(policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval, policy.RetryTimeout)
            {
                HandleFailure = failure => !IsUndeliverable(failure),
            });
    }

    /// <summary>
    /// Publishes a notification whose message id is "{flow id}:{step}", stable across retries and replays.
    /// <paramref name="properties"/> become application properties; <c>flowId</c> is always added. A broker that
    /// refuses it through every retry does not stop the flow (the flow's next reminder or alert tries again): the
    /// failure is logged as an error and the call returns false. A notification that can never be sent (too large)
    /// fails its step at once, without retries; the step's failure and its reason stay in the flow's history (the ops
    /// page lists it with the flow's notifications) and are logged as an error.
    /// </summary>
    public static async Task<bool> PublishAsync(
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

        var notification = new Notification(topic, context.InstanceId + ":" + step, subject, props, JsonSerializer.SerializeToElement(body, FlowJson.Options));
        try
        {
            return await context.CallActivityAsync<bool>(nameof(PublishNotificationActivity), notification, NotificationRetry(settings)).ConfigureAwait(true);
        }
        catch (TaskFailedException ex) when (IsUndeliverable(ex.FailureDetails))
        {
            FlowLog.NotificationUndeliverable(context.CreateReplaySafeLogger(typeof(FlowSteps).FullName!), context.InstanceId, notification.MessageId, subject, topic, ex.FailureDetails.ErrorMessage);
            return false;
        }
        catch (TaskFailedException ex)
        {
            FlowLog.NotificationLost(context.CreateReplaySafeLogger(typeof(FlowSteps).FullName!), context.InstanceId, notification.MessageId, subject, topic, ex.Message);
            await context.AlertStepFailedAsync("notification:" + step, ex).ConfigureAwait(true);
            return false;
        }
    }

    /// <summary>
    /// From version 2.0: tells ops, once, that a step of this flow failed through every retry and the flow went on without it: an
    /// <c>ops-alerts</c> notification, subject <c>flow.step-failed</c>, message id "{flow id}:step-failed:{step}"
    /// (stable, so a replay or a Service Bus retry never sends two). Sent in one attempt: if the broker refuses it too,
    /// the error already logged is what remains. Only the failure's type goes out, never its message (it may carry
    /// what a caller said).
    /// </summary>
    public static async Task AlertStepFailedAsync(this TaskOrchestrationContext context, string step, TaskFailedException failure)
    {
        if (!context.IsAtLeast(FlowVersions.V2))
        {
            // A step added in 2.0: a flow that started on 1.0 replays without it (docs/flows.md, "Changing a flow").
            return;
        }

        var body = JsonSerializer.SerializeToElement(
            new { flowId = context.InstanceId, flow = context.Name.Name, step, error = failure.FailureDetails.ErrorType, at = context.CurrentUtcDateTime },
            FlowJson.Options);
        var alert = new Notification(
            NotificationTopic.OpsAlerts,
            context.InstanceId + ":step-failed:" + step,
            "flow.step-failed",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["flowId"] = context.InstanceId, ["severity"] = "High" },
            body);
        try
        {
            await context.CallActivityAsync<bool>(nameof(PublishNotificationActivity), alert).ConfigureAwait(true);
        }
        catch (TaskFailedException)
        {
            // The broker refused this too: the step's error is in the log and its failure in the flow's history.
        }
    }

    // By name: the failure comes back from the worker as details, and the type is ours, so no type loading is needed.
    private static bool IsUndeliverable(TaskFailureDetails? failure) =>
        string.Equals(failure?.ErrorType, typeof(NotificationUndeliverableException).FullName, StringComparison.Ordinal);

    /// <summary>
    /// Starts <paramref name="flowName"/> under <paramref name="instanceId"/> without waiting for it (through
    /// <see cref="StartFlowActivity"/>, retried per <see cref="StartRetry"/>) and returns the id. A start that fails
    /// through every retry is logged as an error and does not stop this flow: the id is still named in its output and
    /// alerts, so a person can start it.
    /// </summary>
    public static async Task<string> StartFlowAsync(this TaskOrchestrationContext context, FlowSettings settings, string flowName, string instanceId, object input)
    {
        var request = new StartFlowRequest(flowName, instanceId, JsonSerializer.SerializeToElement(input, input.GetType(), FlowJson.Options));
        try
        {
            await context.CallActivityAsync<StartResult>(nameof(StartFlowActivity), request, StartRetry(settings)).ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            FlowLog.StartLost(context.CreateReplaySafeLogger(typeof(FlowSteps).FullName!), context.InstanceId, flowName, instanceId, ex.Message);
            await context.AlertStepFailedAsync("start:" + instanceId, ex).ConfigureAwait(true);
        }

        return instanceId;
    }
}
