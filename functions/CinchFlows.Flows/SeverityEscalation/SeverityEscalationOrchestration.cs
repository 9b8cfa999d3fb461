using System.Globalization;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.Telephony;
using CinchFlows.Flows.Versioning;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>
/// F2, the Escalation Policy: route the escalation by its reason pair (Claims Specialist, Potential Risk, media policy
/// owners, Legal, Customer Service escalations), set the claim's severity to Medical Emergency where the guideline says
/// so, wait for the group to acknowledge within a severity-dependent SLA (tier by tier, then ops), and call the service
/// provider only inside their local business hours. The legal contact address goes only into Legal-route messages.
/// </summary>
internal sealed class SeverityEscalationOrchestration : TaskOrchestrator<SeverityEscalationInput, SeverityEscalationOutput>
{
    private FlowStatus? status;

    // Shown in every status from routing on (the supervisor's list reads it there); custom status is not replayed, so adding it is safe.
    private EscalationRoute? route;

    public override async Task<SeverityEscalationOutput> RunAsync(TaskOrchestrationContext context, SeverityEscalationInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = await context.GetSettingsAsync().ConfigureAwait(true);
        var options = settings.Escalation;
        var entry = options.Find(input.Reason, input.SubReason)
            ?? throw new InvalidOperationException($"Escalation reason pair '{input.Reason}'/'{input.SubReason}' is not in the taxonomy this flow started with.");
        var route = entry.Route;
        this.route = route;
        var severity = route == EscalationRoute.ClaimsSpecialist ? EscalationSeverity.MedicalEmergency : input.Severity ?? entry.DefaultSeverity;
        var tiers = options.TierList();
        var notified = new List<string>();

        if (severity == EscalationSeverity.MedicalEmergency)
        {
            await SetMedicalEmergencySeverityAsync(context, settings, input, "severity").ConfigureAwait(true);
        }

        var providerCall = input.Provider is { } provider ? CallProviderAsync(context, settings, input.ServiceJobId, provider) : null;

        var tier = 0;
        var tierSince = context.CurrentUtcDateTime;
        await NotifyTierAsync(context, settings, input, route, severity, tiers[tier], 0, tierSince + options.AcknowledgeTimeoutFor(severity)).ConfigureAwait(true);
        notified.Add(tiers[tier]);
        string? acknowledgedBy = null;
        var opsReminders = 0;
        while (true)
        {
            var due = tierSince + options.AcknowledgeTimeoutFor(severity);
            SetStatus(context, "WaitingForAcknowledgement",
                $"routed to {route}; waiting for the {tiers[tier]} to acknowledge by {FlowText.Clock(due)} ({severity} SLA), since {FlowText.Clock(tierSince)}",
                tierSince, due, tiers[tier], severity);
            var wait = await WaitForAcknowledgementAsync(context, due).ConfigureAwait(true);
            if (wait.Acknowledgement is { } ack)
            {
                acknowledgedBy = ack.By;
                break;
            }

            if (wait.SeverityChange is { } change)
            {
                // Only this job's changes; and a Claims Specialist escalation stays a Medical Emergency whatever comes later.
                var applies = change.ServiceJobId == input.ServiceJobId
                    && !(route == EscalationRoute.ClaimsSpecialist && change.Severity != EscalationSeverity.MedicalEmergency);
                if (applies && change.Severity != severity)
                {
                    severity = change.Severity;
                    if (severity == EscalationSeverity.MedicalEmergency)
                    {
                        await SetMedicalEmergencySeverityAsync(context, settings, input, $"severity:{context.CurrentUtcDateTime.Ticks}").ConfigureAwait(true);
                    }
                }

                // The SLA of the new severity counts from when this tier was told.
                continue;
            }

            tierSince = context.CurrentUtcDateTime;
            if (!context.IsReplaying)
            {
                FlowMetrics.SlaBreached("escalation-acknowledgement");
            }

            if (tier + 1 < tiers.Count)
            {
                tier++;
                notified.Add(tiers[tier]);
                await NotifyTierAsync(context, settings, input, route, severity, tiers[tier], tier, tierSince + options.AcknowledgeTimeoutFor(severity)).ConfigureAwait(true);
                continue;
            }

            if (opsReminders == 0)
            {
                notified.Add("ops");
            }

            if (opsReminders++ == options.OpsReminders)
            {
                SetStatus(context, "Unacknowledged", $"nobody acknowledged after every tier and {options.OpsReminders} ops reminder(s)", tierSince, null, "ops", severity);
                if (providerCall is not null)
                {
                    // Still here for the provider call: an acknowledgement that comes meanwhile is taken, not lost.
                    acknowledgedBy = await LateAcknowledgementAsync(context, providerCall).ConfigureAwait(true);
                }

                break;
            }

            await context.PublishAsync(settings, NotificationTopic.OpsAlerts, $"unacknowledged:{opsReminders}", "escalation.unacknowledged",
                new
                {
                    escalationId = context.InstanceId,
                    input.ServiceJobId,
                    route,
                    severity,
                    tiersNotified = notified,
                    reminder = opsReminders,
                    text = $"Escalation {context.InstanceId} on service job {input.ServiceJobId} ({route}, {severity}) is unacknowledged after notifying {string.Join(", ", tiers)}.",
                },
                ("serviceJobId", input.ServiceJobId), ("severity", severity.ToString())).ConfigureAwait(true);
        }

        if (acknowledgedBy is not null)
        {
            // Said before waiting for a provider call still to come, so nobody reads an old "waiting for the group" line.
            SetStatus(context, "Acknowledged", $"acknowledged by {acknowledgedBy}", context.CurrentUtcDateTime, null, tiers[tier], severity);
            status = status! with { AcknowledgedBy = acknowledgedBy };
            context.SetFlowStatus(status);

            // Version 2's step: a flow started on version 1 never sent this, and replaying it must not send it now.
            if (context.IsAtLeast(FlowVersions.V2))
            {
                await NotifyAcknowledgedAsync(context, settings, input, route, severity, acknowledgedBy, notified).ConfigureAwait(true);
            }
        }

        bool? providerCalled = providerCall is null ? null : await providerCall.ConfigureAwait(true);
        return new SeverityEscalationOutput(route, severity, acknowledgedBy, notified, providerCalled);
    }

    private static Task<bool> SetMedicalEmergencySeverityAsync(TaskOrchestrationContext context, FlowSettings settings, SeverityEscalationInput input, string step) =>
        context.PublishAsync(settings, NotificationTopic.ClaimsSeverity, step, "severity.set",
            new
            {
                input.ServiceJobId,
                severity = EscalationSeverity.MedicalEmergency,
                queue = nameof(EscalationRoute.ClaimsSpecialist),
                text = $"Set the severity of service job {input.ServiceJobId} to Medical Emergency so a Claims Specialist manages it.",
            },
            ("serviceJobId", input.ServiceJobId), ("severity", nameof(EscalationSeverity.MedicalEmergency)));

    private static Task<bool> NotifyTierAsync(
        TaskOrchestrationContext context, FlowSettings settings, SeverityEscalationInput input, EscalationRoute route, EscalationSeverity severity, string tierName, int tier, DateTime due)
    {
        // The attorney is given the legal address; it travels only in the Legal route's own messages, never anything the customer sees.
        var legalContact = route == EscalationRoute.Legal ? settings.Escalation.LegalContactAddress : null;
        return context.PublishAsync(settings, NotificationTopic.Escalations, $"tier:{tier}", tier == 0 ? "escalation.routed" : "escalation.tier-up",
            new
            {
                escalationId = context.InstanceId,
                input.ServiceJobId,
                route,
                input.Reason,
                input.SubReason,
                severity,
                input.ContactRole,
                input.RaisedBy,
                tier = tierName,
                acknowledgeBy = due,
                legalContactAddress = legalContact,
                text = Instructions(route, tierName, tier, legalContact),
            },
            ("serviceJobId", input.ServiceJobId), ("severity", severity.ToString()), ("route", route.ToString()), ("tier", tierName), ("callId", input.CallId));
    }

    private static Task<bool> NotifyAcknowledgedAsync(
        TaskOrchestrationContext context, FlowSettings settings, SeverityEscalationInput input, EscalationRoute route, EscalationSeverity severity, string acknowledgedBy, List<string> notified) =>
        context.PublishAsync(settings, NotificationTopic.Escalations, "acknowledged", "escalation.acknowledged",
            new
            {
                escalationId = context.InstanceId,
                input.ServiceJobId,
                route,
                severity,
                acknowledgedBy,
                tiersNotified = notified,
                text = $"Escalation {context.InstanceId} on service job {input.ServiceJobId} was acknowledged by {acknowledgedBy}: nothing more to do for the tiers told ({string.Join(", ", notified.Distinct(StringComparer.Ordinal))}).",
            },
            ("serviceJobId", input.ServiceJobId), ("severity", severity.ToString()), ("route", route.ToString()), ("callId", input.CallId));

    private static string Instructions(EscalationRoute route, string tierName, int tier, string? legalContact)
    {
        var what = route switch
        {
            EscalationRoute.ClaimsSpecialist => "Medical Emergency or High-Risk Situation: a Claims Specialist manages this service job.",
            EscalationRoute.PotentialRisk => "Potential risk to the customer, the service professional or Cinch: follow the Potential Risk article.",
            EscalationRoute.MediaPolicy => "Media contact: follow the Cinch Media Policy and Guidelines.",
            EscalationRoute.Legal => $"An attorney is calling on behalf of the customer: give the attorney {legalContact}. Do not give this address to the customer.",
            _ => "Customer escalation: review the Service Job, explain its status and take ownership of the next step.",
        };
        return tier == 0 ? $"{what} Acknowledge to take it." : $"Not acknowledged by the previous tier; escalated to the {tierName}. {what}";
    }

    private static async Task<AcknowledgementWait> WaitForAcknowledgementAsync(TaskOrchestrationContext context, DateTime due)
    {
        // A due time already past still goes through the wait: an acknowledgement already buffered wins over the timer.
        using var cancel = new CancellationTokenSource();
        var timer = context.CreateTimer(due, cancel.Token);
        var ack = context.WaitForExternalEvent<EscalationAcknowledgement>(FlowEvents.EscalationAcknowledged, cancel.Token);
        var change = context.WaitForExternalEvent<SeverityChanged>(FlowEvents.SeverityChanged, cancel.Token);
        var first = await Task.WhenAny(ack, change, timer).ConfigureAwait(true);
#pragma warning disable CA1849 // Synchronous on purpose: CancelAsync would resume the orchestration outside its replay.
        cancel.Cancel();
#pragma warning restore CA1849
        return first == ack ? new AcknowledgementWait(ack.Result, null) : first == change ? new AcknowledgementWait(null, change.Result) : default;
    }

    private async Task<bool> CallProviderAsync(TaskOrchestrationContext context, FlowSettings settings, string serviceJobId, ServiceProviderContact provider)
    {
        var options = settings.Escalation;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(provider.TimeZone);

        // Checked again after every wait: a timer handled late (a host down overnight) must not call at 19:00 local.
        DateTime now, opening;
        while ((opening = BusinessHours.NextOpening(now = context.CurrentUtcDateTime, zone, options.ProviderCallWindowStart, options.ProviderCallWindowEnd)) > now)
        {
            var local = BusinessHours.ToLocal(opening, zone);
            SetProviderCall(context, string.Create(CultureInfo.InvariantCulture,
                $"waiting for the provider's business hours: calls {provider.ProviderId} at {local:HH:mm} {provider.TimeZone} ({FlowText.When(opening)})"));
            await context.CreateTimer(opening, CancellationToken.None).ConfigureAwait(true);
        }

        SetProviderCall(context, $"calling provider {provider.ProviderId}");
        try
        {
            await context.SendCommandAsync(settings, TelephonyCommand.ProviderCall(serviceJobId, provider.ProviderId, provider.Phone, context.InstanceId + ":provider-call")).ConfigureAwait(true);
        }
        catch (TaskFailedException)
        {
            SetProviderCall(context, $"the telephony platform refused the call to provider {provider.ProviderId}; ops alerted");
            await context.PublishAsync(settings, NotificationTopic.OpsAlerts, "provider-call-failed", "escalation.provider-call-failed",
                new
                {
                    escalationId = context.InstanceId,
                    serviceJobId,
                    provider.ProviderId,
                    text = $"The outbound call to provider {provider.ProviderId} about service job {serviceJobId} could not be placed. Call the provider during their business hours.",
                },
                ("serviceJobId", serviceJobId)).ConfigureAwait(true);
            return false;
        }

        SetProviderCall(context, $"provider {provider.ProviderId} called at {FlowText.Clock(context.CurrentUtcDateTime)}");
        return true;
    }

    private static async Task<string?> LateAcknowledgementAsync(TaskOrchestrationContext context, Task<bool> providerCall)
    {
        using var cancel = new CancellationTokenSource();
        var ack = context.WaitForExternalEvent<EscalationAcknowledgement>(FlowEvents.EscalationAcknowledged, cancel.Token);
        var first = await Task.WhenAny(ack, providerCall).ConfigureAwait(true);
#pragma warning disable CA1849 // Synchronous on purpose: CancelAsync would resume the orchestration outside its replay.
        cancel.Cancel();
#pragma warning restore CA1849
        return first == ack ? ack.Result.By : null;
    }

    private void SetStatus(TaskOrchestrationContext context, string phase, string text, DateTime since, DateTime? due, string? tier, EscalationSeverity severity)
    {
        status = new FlowStatus { Phase = phase, Text = text, Since = since, Due = due, Tier = tier, Severity = severity.ToString(), Route = route?.ToString(), ProviderCall = status?.ProviderCall };
        context.SetFlowStatus(status);
    }

    private void SetProviderCall(TaskOrchestrationContext context, string providerCall)
    {
        status = (status ?? new FlowStatus { Phase = "Routing", Text = "routing the escalation", Since = context.CurrentUtcDateTime, Route = route?.ToString() }) with { ProviderCall = providerCall };
        context.SetFlowStatus(status);
    }

    private readonly record struct AcknowledgementWait(EscalationAcknowledgement? Acknowledgement, SeverityChanged? SeverityChange);
}
