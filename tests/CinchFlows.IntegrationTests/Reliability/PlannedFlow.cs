using System.Text.Json.Nodes;
using CinchFlows.TelephonySimulator;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>One flow of a reliability run: how it starts and how the simulated people and platform drive it.</summary>
internal sealed class PlannedFlow
{
    public PlannedFlow(int index, Driving driving, string run)
    {
        Driving = driving;
        Person = $"person-{index}";
        switch (driving)
        {
            case Driving.TransferAnswered or Driving.TransferFailed:
                CallId = $"call-{run}-{index}";
                ServiceRequestId = index % 4 == 1 ? $"sr-{run}-{index}" : null;
                InstanceId = "medical-" + CallId;
                StartType = PlatformEventTypes.MedicalEmergencyFlagged;
                break;
            case Driving.EscalationAcknowledged or Driving.EscalationIgnored:
                JobId = $"job-{run}-{index}";
                InstanceId = $"escalation-{JobId}-service-delay";
                StartType = PlatformEventTypes.EscalationRaised;
                break;
            default:
                SupervisorCallId = $"call-{run}-{index}";
                InstanceId = "callback-call-" + SupervisorCallId;
                StartType = PlatformEventTypes.SupervisorRequested;
                break;
        }
    }

    public Driving Driving { get; }

    public string Person { get; }

    public string? CallId { get; }

    public string? ServiceRequestId { get; }

    public string? JobId { get; }

    public string? SupervisorCallId { get; }

    public string InstanceId { get; }

    public string StartType { get; }

    public JsonObject StartData() => Driving switch
    {
        Driving.TransferAnswered or Driving.TransferFailed => ServiceRequestId is null
            ? new JsonObject { ["callId"] = CallId, ["agentId"] = "agent-1", ["customerId"] = "cust-" + CallId }
            : new JsonObject { ["callId"] = CallId, ["agentId"] = "agent-1", ["customerId"] = "cust-" + CallId, ["serviceRequestId"] = ServiceRequestId },
        Driving.EscalationAcknowledged or Driving.EscalationIgnored => new JsonObject
        {
            ["serviceJobId"] = JobId, ["reason"] = "service-delay", ["subReason"] = "general", ["raisedBy"] = "agent-1", ["contactRole"] = "customer",
        },
        _ => new JsonObject { ["callId"] = SupervisorCallId, ["agentId"] = "agent-1", ["customerId"] = "cust-" + SupervisorCallId, ["supervisorAvailable"] = false },
    };
}
