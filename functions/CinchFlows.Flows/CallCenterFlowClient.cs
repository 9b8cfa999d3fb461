using CinchFlows.Durable;
using CinchFlows.Durable.Client;
using CinchFlows.Flows.Escalations;
using CinchFlows.Flows.Events;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SupervisorCallbacks;
using Microsoft.Extensions.Options;

namespace CinchFlows.Flows;

/// <summary>
/// Starts the call-center flows from their triggers and delivers events to them. Starting and delivering only record
/// and enqueue: nothing here waits for a flow step. Flow ids come from business keys, so a repeated trigger starts
/// nothing new.
/// </summary>
public sealed class CallCenterFlowClient(DurableTaskClient durable, IOptionsMonitor<EscalationOptions> escalationOptions)
{
    /// <summary>How many escalations one job may have for one reason, one after another.</summary>
    private const int MaxEscalationsPerReason = 100;

    /// <summary>Starts F1 for a flagged call (scenario 2 when a service request is given).</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartMedicalEmergencyAsync(MedicalEmergencyFlagged flagged, CancellationToken cancellationToken) =>
        StartMedicalEmergencyAsync(flagged, confirmNew: null, cancellationToken);

    /// <summary>Starts F1; <paramref name="confirmNew"/> is asked before a newly created flow runs (<see cref="StartOrchestrationOptions.ConfirmNew"/>).</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartMedicalEmergencyAsync(MedicalEmergencyFlagged flagged, Func<CancellationToken, Task<bool>>? confirmNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flagged);
        var callId = BusinessKeys.Validate(flagged.CallId, "callId");
        var input = new MedicalEmergencyTransferInput(
            callId,
            BusinessKeys.Validate(flagged.AgentId, "agentId"),
            BusinessKeys.Validate(flagged.CustomerId, "customerId"),
            flagged.ServiceRequestId is { } request ? BusinessKeys.Validate(request, "serviceRequestId") : null);
        return durable.StartAsync(FlowNames.MedicalEmergencyTransfer, input, new StartOrchestrationOptions(BusinessKeys.MedicalEmergencyTransfer(callId)) { ConfirmNew = confirmNew }, cancellationToken);
    }

    /// <summary>Starts F3 for a customer asking for a supervisor on a call.</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartSupervisorCallbackAsync(SupervisorRequested requested, CancellationToken cancellationToken) =>
        StartSupervisorCallbackAsync(requested, confirmNew: null, cancellationToken);

    /// <summary>Starts F3 for a call; <paramref name="confirmNew"/> is asked before a newly created flow runs (<see cref="StartOrchestrationOptions.ConfirmNew"/>).</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartSupervisorCallbackAsync(SupervisorRequested requested, Func<CancellationToken, Task<bool>>? confirmNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var callId = BusinessKeys.Validate(requested.CallId, "callId");
        var input = new SupervisorCallbackInput(
            BusinessKeys.Validate(requested.CustomerId, "customerId"),
            callId,
            BusinessKeys.Validate(requested.AgentId, "agentId"),
            requested.SupervisorAvailable,
            CallbackPriority.Normal,
            CallbackReason.SupervisorRequested,
            Channel: "call");
        return durable.StartAsync(FlowNames.SupervisorCallback, input, new StartOrchestrationOptions(BusinessKeys.SupervisorCallback(callId)) { ConfirmNew = confirmNew }, cancellationToken);
    }

    /// <summary>Starts F3 for a callback requested from another channel (the <c>callback-requests</c> queue).</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartCallbackRequestAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = BusinessKeys.Validate(request.RequestId, "requestId");
        var input = new SupervisorCallbackInput(
            BusinessKeys.Validate(request.CustomerId, "customerId"),
            request.CallId is { } call ? BusinessKeys.Validate(call, "callId") : null,
            AgentId: null,
            SupervisorAvailable: false,
            CallbackPriority.Normal,
            CallbackReason.ChannelRequest,
            Required(request.Channel, "channel"));
        return durable.StartAsync(FlowNames.SupervisorCallback, input, new StartOrchestrationOptions(BusinessKeys.ChannelCallback(requestId)), cancellationToken);
    }

    /// <summary>Starts F2 for an escalation; the reason pair must be in the configured taxonomy.</summary>
    /// <exception cref="FlowInputException">Unknown reason pair, unknown time zone, or a key that is not usable.</exception>
    public Task<StartResult> StartEscalationAsync(EscalationRaised raised, CancellationToken cancellationToken) =>
        StartEscalationAsync(raised, confirmNew: null, cancellationToken);

    /// <summary>Starts F2; <paramref name="confirmNew"/> is asked before a newly created flow runs (<see cref="StartOrchestrationOptions.ConfirmNew"/>).</summary>
    /// <exception cref="FlowInputException">Unknown reason pair, unknown time zone, or a key that is not usable.</exception>
    public async Task<StartResult> StartEscalationAsync(EscalationRaised raised, Func<CancellationToken, Task<bool>>? confirmNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(raised);
        var jobId = BusinessKeys.Validate(raised.ServiceJobId, "serviceJobId");
        var options = escalationOptions.CurrentValue;
        if (options.Find(raised.Reason ?? string.Empty, raised.SubReason ?? string.Empty) is null)
        {
            throw new FlowInputException(
                $"Unknown escalation reason pair '{raised.Reason}'/'{raised.SubReason}'. Known reasons: {string.Join(", ", options.Reasons.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (raised.Provider is { } provider)
        {
            Required(provider.ProviderId, "provider.providerId");
            Required(provider.Phone, "provider.phone");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(provider.TimeZone ?? string.Empty, out _))
            {
                throw new FlowInputException($"'provider.timeZone' must be an IANA time zone such as 'America/Chicago', not '{provider.TimeZone}'.");
            }
        }

        var input = new SeverityEscalationInput(jobId, raised.Reason!, raised.SubReason!, BusinessKeys.Validate(raised.RaisedBy, "raisedBy"), raised.ContactRole, raised.Severity, raised.Provider);

        // While an escalation for this job and reason runs, a repeat is the same escalation; once it has ended, a new
        // one starts under the next number, so a job escalated again next week is never silently dropped.
        for (var number = 1; ; number++)
        {
            var id = BusinessKeys.SeverityEscalation(jobId, raised.Reason!, number);
            var started = await durable.StartAsync(FlowNames.SeverityEscalation, input, new StartOrchestrationOptions(id) { ConfirmNew = confirmNew }, cancellationToken).ConfigureAwait(false);
            if (started.Created || number == MaxEscalationsPerReason
                || await durable.GetInstanceAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false) is not { IsRunning: false })
            {
                return started;
            }
        }
    }

    /// <summary>Sends an event to every running flow of a call (F1 and F3 use the call id in their ids).</summary>
    /// <exception cref="FlowInputException">The call id is not usable.</exception>
    public Task<FlowDelivery> SendToCallAsync(string callId, string eventName, object payload, CancellationToken cancellationToken)
    {
        var key = BusinessKeys.Validate(callId, "callId");
        return SendAsync(BusinessKeys.FlowsOfCall(key), eventName, payload, cancellationToken);
    }

    /// <summary>Sends an event to every running escalation of a service job.</summary>
    /// <exception cref="FlowInputException">The service job id is not usable.</exception>
    public async Task<FlowDelivery> SendToServiceJobAsync(string serviceJobId, string eventName, object payload, CancellationToken cancellationToken)
    {
        var key = BusinessKeys.Validate(serviceJobId, "serviceJobId");
        var prefix = BusinessKeys.SeverityEscalationPrefix(key);
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = false };
        var reasons = escalationOptions.CurrentValue.Reasons;
        var ids = new List<string>();
        await foreach (var instance in durable.GetAllInstancesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            // The prefix of job "J1" also matches job "J1-2"'s escalations: keep the ids whose rest is a reason key,
            // alone, numbered ("-2") or with F1's call ("@call").
            var rest = instance.InstanceId[prefix.Length..];
            if (reasons.Keys.Any(reason => rest == reason || IsNumbered(rest, reason) || rest.StartsWith(reason + "@", StringComparison.Ordinal)))
            {
                ids.Add(instance.InstanceId);
            }
        }

        return await SendAsync(ids, eventName, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells an escalation it was acknowledged.</summary>
    /// <exception cref="InstanceNotFoundException">No such escalation.</exception>
    /// <exception cref="InstanceFinishedException">It has ended.</exception>
    public Task AcknowledgeEscalationAsync(string escalationId, string by, CancellationToken cancellationToken) =>
        durable.RaiseEventAsync(escalationId, FlowEvents.EscalationAcknowledged, new EscalationAcknowledgement(Required(by, "by")), cancellationToken);

    private async Task<FlowDelivery> SendAsync(IEnumerable<string> candidates, string eventName, object payload, CancellationToken cancellationToken)
    {
        var delivered = new List<string>();
        var known = new List<string>();
        foreach (var id in candidates)
        {
            try
            {
                await durable.RaiseEventAsync(id, eventName, payload, cancellationToken).ConfigureAwait(false);
                delivered.Add(id);
                known.Add(id);
            }
            catch (InstanceNotFoundException)
            {
            }
            catch (InstanceFinishedException)
            {
                known.Add(id);
            }
        }

        return new FlowDelivery(delivered, known);
    }

    private static bool IsNumbered(string rest, string reason) =>
        rest.Length > reason.Length + 1 && rest.StartsWith(reason + "-", StringComparison.Ordinal) && rest.AsSpan(reason.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new FlowInputException($"'{field}' is required.") : value;
}
