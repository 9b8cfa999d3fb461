using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Starts;
using CinchFlows.Flows.SupervisorCallback;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Flows;

/// <summary>
/// Starts the call-center flows from their triggers and delivers events to them. Starting and delivering only record
/// and enqueue: nothing here waits for a flow step. Flow ids come from business keys, so a repeated trigger starts
/// nothing new (<see cref="FlowStarts"/>).
/// </summary>
public sealed class CallCenterFlowClient(DurableTaskClient durable, IStartClaims claims, IOptionsMonitor<EscalationOptions> escalationOptions)
{
    /// <summary>How many escalations one job may have for one reason, one after another.</summary>
    private const int MaxEscalationsPerReason = 100;

    /// <summary>Starts F1 for a flagged call (scenario 2 when a service request is given).</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartMedicalEmergencyAsync(MedicalEmergencyFlagged flagged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flagged);
        var callId = BusinessKeys.Validate(flagged.CallId, "callId");
        var input = new MedicalEmergencyTransferInput(
            callId,
            BusinessKeys.Validate(flagged.AgentId, "agentId"),
            BusinessKeys.Validate(flagged.CustomerId, "customerId"),
            flagged.ServiceRequestId is { } request ? BusinessKeys.Validate(request, "serviceRequestId") : null);
        return durable.StartOnceAsync(claims, FlowNames.MedicalEmergencyTransfer, input, BusinessKeys.MedicalEmergencyTransfer(callId), cancellationToken);
    }

    /// <summary>Starts F3 for a customer asking for a supervisor on a call.</summary>
    /// <exception cref="FlowInputException">A key is not usable.</exception>
    public Task<StartResult> StartSupervisorCallbackAsync(SupervisorRequested requested, CancellationToken cancellationToken)
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
        return durable.StartOnceAsync(claims, FlowNames.SupervisorCallback, input, BusinessKeys.SupervisorCallback(callId), cancellationToken);
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
        return durable.StartOnceAsync(claims, FlowNames.SupervisorCallback, input, BusinessKeys.ChannelCallback(requestId), cancellationToken);
    }

    /// <summary>Starts F2 for an escalation; the reason pair must be in the configured taxonomy.</summary>
    /// <exception cref="FlowInputException">Unknown reason pair, unknown time zone, or a key that is not usable.</exception>
    public async Task<StartResult> StartEscalationAsync(EscalationRaised raised, CancellationToken cancellationToken)
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
            var existing = await durable.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            if (existing is not null && (number == MaxEscalationsPerReason || !FlowStatuses.IsFinished(existing.RuntimeStatus)))
            {
                return new StartResult(id, Created: false);
            }

            if (existing is null)
            {
                return await durable.StartOnceAsync(claims, FlowNames.SeverityEscalation, input, id, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends an event to every running flow of a call (F1 and F3 use the call id in their ids).</summary>
    /// <exception cref="FlowInputException">The call id is not usable.</exception>
    public async Task<FlowDelivery> SendToCallAsync(string callId, string eventName, object payload, CancellationToken cancellationToken)
    {
        var key = BusinessKeys.Validate(callId, "callId");
        var delivery = new Delivery();
        foreach (var id in BusinessKeys.FlowsOfCall(key))
        {
            delivery.Add(id, await durable.RaiseIfRunningAsync(id, eventName, payload, cancellationToken).ConfigureAwait(false));
        }

        return delivery.ToFlowDelivery();
    }

    /// <summary>Sends an event to every running escalation of a service job.</summary>
    /// <exception cref="FlowInputException">The service job id is not usable.</exception>
    public async Task<FlowDelivery> SendToServiceJobAsync(string serviceJobId, string eventName, object payload, CancellationToken cancellationToken)
    {
        var key = BusinessKeys.Validate(serviceJobId, "serviceJobId");
        var prefix = BusinessKeys.SeverityEscalationPrefix(key);
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = false };
        var reasons = escalationOptions.CurrentValue.Reasons;
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // The prefix of job "J1" also matches job "J1-2"'s escalations: keep the ids whose rest is a reason key,
            // alone, numbered ("-2") or with F1's call ("@call").
            var rest = instance.InstanceId[prefix.Length..];
            if (reasons.Keys.Any(reason => rest == reason || IsNumbered(rest, reason) || rest.StartsWith(reason + "@", StringComparison.Ordinal)))
            {
                instances.Add(instance);
            }
        }

        var delivery = new Delivery();
        foreach (var instance in instances.OrderBy(i => i.InstanceId, StringComparer.Ordinal))
        {
            delivery.Add(instance.InstanceId, await durable.RaiseIfRunningAsync(instance, eventName, payload, cancellationToken).ConfigureAwait(false));
        }

        return delivery.ToFlowDelivery();
    }

    /// <summary>
    /// Tells an escalation it was acknowledged. The answer says whether it took it: <see cref="FlowDelivery.Known"/>
    /// empty means no such escalation, <see cref="FlowDelivery.Delivered"/> empty but known means it has ended.
    /// </summary>
    public async Task<FlowDelivery> AcknowledgeEscalationAsync(string escalationId, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(escalationId);
        var acknowledgement = new EscalationAcknowledgement(Required(by, "by"));
        var delivery = new Delivery();
        delivery.Add(escalationId, await durable.RaiseIfRunningAsync(escalationId, FlowEvents.EscalationAcknowledged, acknowledgement, cancellationToken).ConfigureAwait(false));
        return delivery.ToFlowDelivery();
    }

    private static bool IsNumbered(string rest, string reason) =>
        rest.Length > reason.Length + 1 && rest.StartsWith(reason + "-", StringComparison.Ordinal) && rest.AsSpan(reason.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new FlowInputException($"'{field}' is required.") : value;

    /// <summary>Collects where an event went, in the order the flows were tried.</summary>
    private sealed class Delivery
    {
        private readonly List<string> delivered = [];
        private readonly List<string> known = [];

        public void Add(string instanceId, EventDeliveryResult result)
        {
            if (result == EventDeliveryResult.Unknown)
            {
                return;
            }

            known.Add(instanceId);
            if (result == EventDeliveryResult.Delivered)
            {
                delivered.Add(instanceId);
            }
        }

        public FlowDelivery ToFlowDelivery() => new(delivered, known);
    }
}
