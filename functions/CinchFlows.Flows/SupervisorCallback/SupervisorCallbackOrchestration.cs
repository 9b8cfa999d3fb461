using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Telephony;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.SupervisorCallback;

/// <summary>
/// F3, a customer asking for someone higher up: warm transfer to an available supervisor; otherwise a Call Back Task,
/// supervisors told, reminded, the next tier told, ops alerted when every tier missed it; once claimed, a completion
/// deadline that alerts ops when missed. The callback never expires silently.
/// </summary>
internal sealed class SupervisorCallbackOrchestration : TaskOrchestrator<SupervisorCallbackInput, SupervisorCallbackOutput>
{
    /// <summary>The systems that pick up Call Back Tasks today (Zoho CRM call back tasks, ServiceBench call back exceptions).</summary>
    private static readonly string[] CallbackSystems = ["zoho-crm", "servicebench"];

    public override async Task<SupervisorCallbackOutput> RunAsync(TaskOrchestrationContext context, SupervisorCallbackInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = await context.GetSettingsAsync().ConfigureAwait(true);
        var options = settings.SupervisorCallback;
        var notified = new List<string>();

        if (input is { SupervisorAvailable: true, CallId: { } callId } && await TransferToSupervisorAsync(context, settings, callId).ConfigureAwait(true))
        {
            return new SupervisorCallbackOutput(SupervisorCallbackOutcome.TransferredToSupervisor, CallbackId: null, ClaimedBy: null, notified);
        }

        var callbackId = context.InstanceId;
        var tiers = options.TierList();
        var opened = context.CurrentUtcDateTime;
        await context.CallActivityAsync<CallbackTask>(nameof(OpenCallbackTaskActivity), new CallbackTask
        {
            CallbackId = callbackId,
            CallId = input.CallId,
            CustomerId = input.CustomerId,
            Status = CallbackStatus.Open,
            CreatedTime = opened,
            DueTime = opened + options.ClaimTimeout,
            FlowId = context.InstanceId,
            Priority = input.Priority,
            Reason = input.Reason,
            Tier = tiers[0],
        }, FlowSteps.Retry(settings)).ConfigureAwait(true);
        await context.PublishAsync(settings, NotificationTopic.CallbackTasks, "callback-task", "callback-task.created",
            new { callbackId, input.CallId, input.CustomerId, input.Priority, input.Reason, input.Channel, createdTime = opened, dueTime = opened + options.ClaimTimeout, systems = CallbackSystems },
            Properties(input)).ConfigureAwait(true);

        var claim = await WaitForClaimAsync(context, settings, input, notified).ConfigureAwait(true);
        if (claim is null)
        {
            return new SupervisorCallbackOutput(SupervisorCallbackOutcome.Breached, callbackId, ClaimedBy: null, notified);
        }

        var claimedAt = context.CurrentUtcDateTime;
        var completionDue = claimedAt + options.CompletionDeadline;
        await RecordAsync(context, settings, new CallbackProgress(callbackId, CallbackProgressKind.ClaimSeen, completionDue)).ConfigureAwait(true);
        context.SetFlowStatus(new FlowStatus
        {
            Phase = "WaitingForCompletion",
            Text = $"claimed by {claim.SupervisorId}: waiting for the callback to be completed by {FlowText.When(completionDue)}, since {FlowText.Clock(claimedAt)}",
            Since = claimedAt,
            Due = completionDue,
        });
        if (await TryWaitForEventAsync<CallbackCompletion>(context, FlowEvents.CallbackCompleted, completionDue - claimedAt).ConfigureAwait(true) is not null)
        {
            SetStatus(context, "Completed", $"completed by {claim.SupervisorId}");
            return new SupervisorCallbackOutput(SupervisorCallbackOutcome.Completed, callbackId, claim.SupervisorId, notified);
        }

        await RecordAsync(context, settings, new CallbackProgress(callbackId, CallbackProgressKind.CompletionBreached, completionDue)).ConfigureAwait(true);
        notified.Add("ops");
        await context.PublishAsync(settings, NotificationTopic.OpsAlerts, "completion-breached", "callback.completion-breached",
            new
            {
                callbackId,
                input.CustomerId,
                claimedBy = claim.SupervisorId,
                dueTime = completionDue,
                text = $"Callback {callbackId} was claimed by {claim.SupervisorId} but not completed by {FlowText.When(completionDue)}. Make sure the customer is called back.",
            },
            Properties(input)).ConfigureAwait(true);
        SetStatus(context, "Breached", $"completion deadline {FlowText.When(completionDue)} missed by {claim.SupervisorId}; ops alerted");
        return new SupervisorCallbackOutput(SupervisorCallbackOutcome.Breached, callbackId, claim.SupervisorId, notified);
    }

    private static async Task<bool> TransferToSupervisorAsync(TaskOrchestrationContext context, FlowSettings settings, string callId)
    {
        var options = settings.SupervisorCallback;
        var transfer = await context.WarmTransferAsync(
            settings,
            new WarmTransfer(callId, options.SupervisorExtension, "a supervisor", options.TransferAttempts, options.ConnectTimeout, "The customer asked to speak with a supervisor.")).ConfigureAwait(true);
        if (transfer.Connected)
        {
            SetStatus(context, "Transferred", $"transferred to a supervisor after {transfer.Attempts} attempt(s)");
        }

        return transfer.Connected;
    }

    /// <summary>Tells tier after tier until someone claims; null when every tier and the breached window passed unclaimed.</summary>
    private static async Task<CallbackClaim?> WaitForClaimAsync(TaskOrchestrationContext context, FlowSettings settings, SupervisorCallbackInput input, List<string> notified)
    {
        var options = settings.SupervisorCallback;
        var tiers = options.TierList();
        var callbackId = context.InstanceId;
        for (var tier = 0; tier < tiers.Count; tier++)
        {
            for (var notice = 1; notice <= options.NotificationsPerTier; notice++)
            {
                var since = context.CurrentUtcDateTime;
                var due = since + options.ClaimTimeout;

                // Recorded before anyone is told: if a supervisor claimed it meanwhile, nobody is told it is unclaimed.
                if (!await RecordAsync(context, settings, new CallbackProgress(callbackId, CallbackProgressKind.TierNotified, due, tiers[tier])).ConfigureAwait(true))
                {
                    return await ClaimAlreadyMadeAsync(context, settings).ConfigureAwait(true);
                }

                notified.Add(tiers[tier]);
                var reminder = notice > 1;
                await context.PublishAsync(settings, NotificationTopic.SupervisorNotifications, $"claim-request:{tier}:{notice}", reminder ? "callback.reminder" : "callback.claim-requested",
                    new
                    {
                        callbackId,
                        input.CallId,
                        input.CustomerId,
                        input.Priority,
                        input.Reason,
                        tier = tiers[tier],
                        notice,
                        dueTime = due,
                        text = $"{(input.Priority == CallbackPriority.High ? "HIGH PRIORITY: " : string.Empty)}customer {input.CustomerId} is owed a call back ({callbackId}). {(reminder ? "Reminder: nobody has claimed it yet. " : string.Empty)}Claim it by {FlowText.When(due)}.",
                    },
                    [.. Properties(input), ("tier", tiers[tier])]).ConfigureAwait(true);
                context.SetFlowStatus(new FlowStatus
                {
                    Phase = "WaitingForClaim",
                    Text = $"waiting for a {tiers[tier]} to claim the callback (notice {notice} of {options.NotificationsPerTier}), since {FlowText.Clock(since)}",
                    Since = since,
                    Due = due,
                    Tier = tiers[tier],
                });
                if (await TryWaitForClaimAsync(context, due - context.CurrentUtcDateTime).ConfigureAwait(true) is { } claim)
                {
                    return claim;
                }
            }
        }

        // Every tier missed it: the callback shows as breached and ops are told; it can still be claimed for a while.
        var breachedAt = context.CurrentUtcDateTime;
        var lastChance = breachedAt + options.BreachedClaimWindow;
        if (!await RecordAsync(context, settings, new CallbackProgress(callbackId, CallbackProgressKind.ClaimBreached, lastChance)).ConfigureAwait(true))
        {
            return await ClaimAlreadyMadeAsync(context, settings).ConfigureAwait(true);
        }

        notified.Add("ops");
        await context.PublishAsync(settings, NotificationTopic.OpsAlerts, "claim-breached", "callback.unclaimed",
            new
            {
                callbackId,
                input.CustomerId,
                input.Priority,
                tiersNotified = notified,
                text = $"Nobody claimed callback {callbackId} for customer {input.CustomerId} after notifying {string.Join(", ", tiers)}. Assign someone to call the customer back.",
            },
            Properties(input)).ConfigureAwait(true);
        context.SetFlowStatus(new FlowStatus
        {
            Phase = "Breached",
            Text = $"unclaimed after every tier; ops alerted; still claimable until {FlowText.When(lastChance)}",
            Since = breachedAt,
            Due = lastChance,
        });
        if (await TryWaitForClaimAsync(context, options.BreachedClaimWindow).ConfigureAwait(true) is { } late)
        {
            return late;
        }

        await context.PublishAsync(settings, NotificationTopic.OpsAlerts, "claim-abandoned", "callback.abandoned",
            new { callbackId, input.CustomerId, text = $"Callback {callbackId} for customer {input.CustomerId} was never claimed. The flow has stopped; the task stays on the board as breached until someone completes it." },
            Properties(input)).ConfigureAwait(true);
        SetStatus(context, "Abandoned", "never claimed; ops alerted twice; the task stays on the board as breached");
        return null;
    }

    /// <summary>
    /// The task's row says a supervisor claimed it: the claim event is buffered or on its way. Should it not come within
    /// a claim period (held by a worker that crashed, a slow queue), the row is the truth: ending as if unclaimed would
    /// leave a claimed callback with no completion deadline watched and ops never told.
    /// </summary>
    private static async Task<CallbackClaim?> ClaimAlreadyMadeAsync(TaskOrchestrationContext context, FlowSettings settings) =>
        await TryWaitForClaimAsync(context, settings.SupervisorCallback.ClaimTimeout).ConfigureAwait(true)
        ?? await context.CallActivityAsync<CallbackClaim?>(nameof(ReadCallbackClaimActivity), context.InstanceId, FlowSteps.Retry(settings)).ConfigureAwait(true);

    private static Task<bool> RecordAsync(TaskOrchestrationContext context, FlowSettings settings, CallbackProgress progress) =>
        context.CallActivityAsync<bool>(nameof(RecordCallbackProgressActivity), progress, FlowSteps.Retry(settings));

    private static Task<CallbackClaim?> TryWaitForClaimAsync(TaskOrchestrationContext context, TimeSpan timeout) =>
        TryWaitForEventAsync<CallbackClaim>(context, FlowEvents.CallbackClaimed, timeout);

    /// <summary>The event, if it comes within <paramref name="timeout"/> (or is here already); else null.</summary>
    private static async Task<T?> TryWaitForEventAsync<T>(TaskOrchestrationContext context, string eventName, TimeSpan timeout)
        where T : class
    {
        try
        {
            return await context.WaitForExternalEvent<T>(eventName, timeout).ConfigureAwait(true);
        }
        catch (TaskCanceledException)
        {
            // The SDK ends a wait whose timeout passed by cancelling it (not with a TimeoutException).
            return null;
        }
    }

    private static (string Name, string? Value)[] Properties(SupervisorCallbackInput input) =>
        [("callId", input.CallId), ("severity", input.Priority == CallbackPriority.High ? "High" : "Normal")];

    private static void SetStatus(TaskOrchestrationContext context, string phase, string text) =>
        context.SetFlowStatus(new FlowStatus { Phase = phase, Text = text, Since = context.CurrentUtcDateTime });
}
