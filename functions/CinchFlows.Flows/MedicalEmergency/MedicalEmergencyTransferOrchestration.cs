using System.Globalization;
using CinchFlows.Flows.Hints;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.Flows.Telephony;
using Microsoft.DurableTask;

namespace CinchFlows.Flows.MedicalEmergency;

/// <summary>
/// F1, the Telesales and Retention Medical Transfer Process: prompt the agent with the Medical Emergency Script, warm
/// transfer the caller to Customer Service, wait for the connection (retrying), hand over the scenario's note, and if
/// the transfer never connects alert the supervisor on duty and open a high-priority callback so the caller is never
/// dropped. Scenario 2 also starts F2 to set the service request's severity to Medical Emergency. Nothing about the
/// condition itself is ever taken in, stored or sent.
/// </summary>
internal sealed class MedicalEmergencyTransferOrchestration : TaskOrchestrator<MedicalEmergencyTransferInput, MedicalEmergencyTransferOutput>
{
    /// <summary>What the agent is prompted to say (the Medical Emergency Script: reassure, set expectations).</summary>
    internal const string ScriptSummary =
        "Reassure the customer that you will do everything you can to put them in touch with an associate who can assist them, "
        + "and set expectations with the Medical Emergency Script. Do not ask for any specific information about their condition or situation.";

    public override async Task<MedicalEmergencyTransferOutput> RunAsync(TaskOrchestrationContext context, MedicalEmergencyTransferInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var flagged = context.CurrentUtcDateTime;
        var settings = await context.GetSettingsAsync().ConfigureAwait(true);
        var options = settings.MedicalEmergency;
        var scenario = input.ServiceRequestId is null ? TransferScenario.NeedsService : TransferScenario.ServiceRequestInProgress;
        var callProperty = ("callId", (string?)input.CallId);

        // Whether a live-transcript hint came before the flag: read beside the prompt and awaited only at the end, so a
        // slow or failing read never delays the caller's transfer.
        var hintRead = ReadMedicalHintAsync(context, settings, input.CallId);

        SetStatus(context, "Prompting", "prompting the agent with the Medical Emergency Script");
        var prompt = context.SendCommandAsync(settings, TelephonyCommand.AgentPrompt(input.CallId, input.AgentId, options.AgentScript, context.InstanceId + ":agent-prompt"));

        // The desktop's copy of the prompt is awaited only at the end: a slow broker never holds up the transfer.
        var promptNotice = context.PublishAsync(settings, NotificationTopic.AgentPrompts, "agent-prompt", "agent.prompt.medical-emergency",
            new { input.CallId, input.AgentId, script = options.AgentScript, scenario, text = ScriptSummary },
            callProperty);
        try
        {
            await prompt.ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            // The script prompt is a help for the agent; the transfer matters more and goes ahead (it fails on its own if the platform is down).
            FlowLog.CommandLost(context.CreateReplaySafeLogger<MedicalEmergencyTransferOrchestration>(), context.InstanceId, TelephonyCommand.AgentPromptType, ex.Message);
            await context.AlertStepFailedAsync("agent-prompt", ex).ConfigureAwait(true);
        }

        // Started beside the transfer and awaited at the end, so it never delays the caller.
        var escalationStart = StartSeverityEscalationAsync(context, settings, input);

        var note = HandoffNote(scenario, input.ServiceRequestId);
        var transfer = await context.WarmTransferAsync(
            settings,
            new WarmTransfer(input.CallId, options.CustomerServiceExtension, "Customer Service", options.TransferAttempts, options.ConnectTimeout, note)).ConfigureAwait(true);
        var attempts = transfer.Attempts;
        if (transfer.Connected)
        {
            var secondsToConnect = (context.CurrentUtcDateTime - flagged).TotalSeconds;
            if (!context.IsReplaying)
            {
                FlowMetrics.TransferConnected(secondsToConnect, scenario.ToString());
            }

            SetStatus(context, "HandingOff", "connected: handing the note to the Customer Service agent");
            // False when the note could not be sent (after every retry, or never sendable): the output says so.
            var handoffDelivered = await context.PublishAsync(settings, NotificationTopic.HandoffNotes, "handoff-note", "handoff.note",
                new { input.CallId, targetExtension = options.CustomerServiceExtension, scenario, serviceRequestId = input.ServiceRequestId, note },
                callProperty, ("severity", scenario == TransferScenario.ServiceRequestInProgress ? nameof(EscalationSeverity.MedicalEmergency) : null)).ConfigureAwait(true);
            await promptNotice.ConfigureAwait(true);
            var escalationId = await escalationStart.ConfigureAwait(true);
            SetStatus(context, "Connected", string.Create(CultureInfo.InvariantCulture, $"connected to Customer Service after {attempts} attempt(s), {secondsToConnect:0.#} s"));
            var (hintedTime, hintedFirst) = await HintedAsync(context, hintRead, flagged).ConfigureAwait(true);
            return new MedicalEmergencyTransferOutput(scenario, TransferOutcome.Connected, attempts, secondsToConnect, escalationId, CallbackId: null, handoffDelivered, hintedTime, hintedFirst);
        }

        // Never drop the caller: the supervisor on duty hears about it now, and a high-priority callback is opened.
        var callbackId = await context.StartFlowAsync(
            settings,
            FlowNames.SupervisorCallback,
            BusinessKeys.MedicalCallback(input.CallId),
            new SupervisorCallbackInput(input.CustomerId, input.CallId, input.AgentId, SupervisorAvailable: false, CallbackPriority.High, CallbackReason.MedicalTransferFailed, Channel: "call")).ConfigureAwait(true);
        SetStatus(context, "AlertingSupervisor", $"transfer never connected after {attempts} attempt(s): alerting the supervisor on duty, callback {callbackId} opened");
        await context.PublishAsync(settings, NotificationTopic.SupervisorNotifications, "supervisor-alert", "medical-transfer.not-connected",
            new
            {
                input.CallId,
                input.AgentId,
                input.CustomerId,
                attempts,
                callbackId,
                text = $"A caller who disclosed a Medical Emergency or High-Risk Situation could not be transferred to Customer Service after {attempts} attempt(s). A high-priority callback ({callbackId}) is open: claim it now.",
            },
            callProperty, ("severity", nameof(EscalationSeverity.MedicalEmergency))).ConfigureAwait(true);
        await promptNotice.ConfigureAwait(true);
        var startedEscalation = await escalationStart.ConfigureAwait(true);
        SetStatus(context, "NotConnected", $"not connected after {attempts} attempt(s); supervisor alerted; callback {callbackId}");
        var (hinted, hintFirst) = await HintedAsync(context, hintRead, flagged).ConfigureAwait(true);
        return new MedicalEmergencyTransferOutput(scenario, TransferOutcome.NotConnected, attempts, SecondsToConnect: null, startedEscalation, callbackId, HandoffDelivered: false, hinted, hintFirst);
    }

    /// <summary>When the hint was given and whether it came before the flag at <paramref name="flagged"/> (counted once, by that answer).</summary>
    private static async Task<(DateTimeOffset? Time, bool First)> HintedAsync(TaskOrchestrationContext context, Task<DateTimeOffset?> read, DateTime flagged)
    {
        var time = await read.ConfigureAwait(true);
        var first = time is { } hinted && hinted.UtcDateTime <= flagged;
        if (!context.IsReplaying)
        {
            FlowMetrics.MedicalFlagged(first);
        }

        return (time, first);
    }

    /// <summary>
    /// When the medical-emergency hint for the call was given (only its time is kept), or null when none was or it could
    /// not be read: a lost read only loses that record, never the transfer.
    /// </summary>
    private static async Task<DateTimeOffset?> ReadMedicalHintAsync(TaskOrchestrationContext context, FlowSettings settings, string callId)
    {
        try
        {
            return await context.CallActivityAsync<DateTimeOffset?>(
                nameof(ReadHintActivity), new HintLookup(callId, HintProtocol.MedicalEmergency), FlowSteps.Retry(settings)).ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            FlowLog.HintUnread(context.CreateReplaySafeLogger<MedicalEmergencyTransferOrchestration>(), context.InstanceId, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Scenario 2: the claim's severity must become Medical Emergency so a Claims Specialist manages it, whether or not
    /// the transfer connects, so F2 is started for the service request. Null in scenario 1.
    /// </summary>
    private static async Task<string?> StartSeverityEscalationAsync(TaskOrchestrationContext context, FlowSettings settings, MedicalEmergencyTransferInput input)
    {
        if (input.ServiceRequestId is not { } serviceRequestId)
        {
            return null;
        }

        return await context.StartFlowAsync(
            settings,
            FlowNames.SeverityEscalation,
            BusinessKeys.MedicalSeverityEscalation(serviceRequestId, input.CallId),
            new SeverityEscalationInput(serviceRequestId, "medical-emergency", "disclosed", input.AgentId, ContactRole.Customer, EscalationSeverity.MedicalEmergency, Provider: null, input.CallId, context.InstanceId)).ConfigureAwait(true);
    }

    /// <summary>The note for the Customer Service agent, word for word from the scenario's procedure.</summary>
    internal static string HandoffNote(TransferScenario scenario, string? serviceRequestId) => scenario == TransferScenario.NeedsService
        ? "The customer needs service and has disclosed a Medical Emergency or High-Risk Situation. Please take over the call and make sure the situation is managed properly."
        : $"The customer already has service request {serviceRequestId} in process and just disclosed a Medical Emergency or High-Risk Situation. "
          + "Make sure the severity of their claim is set to Medical Emergency so that a Claims Specialist can manage the situation.";

    private static void SetStatus(TaskOrchestrationContext context, string phase, string text) =>
        context.SetFlowStatus(new FlowStatus { Phase = phase, Text = text, Since = context.CurrentUtcDateTime });
}
