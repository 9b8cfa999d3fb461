using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Flows.MedicalEmergency;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Web.Access;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Ops;

/// <summary>
/// <c>GET /api/ops/flows?callId=</c> or <c>?serviceJobId=</c> (ops role): every flow of a call or of a service job, in
/// the list API's shape. The management list filters by id prefix only, and a call's escalation carries the call id
/// at the end of its id, so the dashboard's search needs this.
/// </summary>
internal static class FlowSearchEndpoints
{
    /// <summary>The route under <c>/api</c>.</summary>
    public const string Route = "/ops/flows";

    /// <summary>The most escalations one job's search lists.</summary>
    private const int MaxEscalations = 200;

    /// <summary>Maps the route on <paramref name="api"/> (the <c>/api</c> group) behind the "ops" policy.</summary>
    public static RouteGroupBuilder MapFlowSearch(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, SearchAsync).RequireAuthorization(AccessPolicies.Ops);
        return api;
    }

    internal static async Task<IResult> SearchAsync(
        HttpRequest request,
        DurableTaskClient client,
        IOptionsMonitor<EscalationOptions> escalations,
        CancellationToken cancellationToken)
    {
        var callId = request.Query["callId"];
        var jobId = request.Query["serviceJobId"];
        if (callId.Count + jobId.Count != 1)
        {
            return ApiProblems.BadRequest("Give exactly one of 'callId' or 'serviceJobId'.");
        }

        var key = callId.Count == 1 ? callId[0] : jobId[0];
        if (!BusinessKeys.IsValid(key))
        {
            return ApiProblems.BadRequest($"The id must be 1-{BusinessKeys.MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'.");
        }

        var found = callId.Count == 1
            ? await OfCallAsync(client, key!, cancellationToken)
            : await OfServiceJobAsync(client, key!, escalations.CurrentValue, cancellationToken);
        return TypedResults.Json(new JsonArray([.. found.OrderByDescending(i => i.CreatedAt).Select(i => (JsonNode)InstanceStatusJson.ToJson(i, showInput: false))]));
    }

    private static async Task<List<OrchestrationMetadata>> OfCallAsync(DurableTaskClient client, string callId, CancellationToken cancellationToken)
    {
        var found = new List<OrchestrationMetadata>();
        foreach (var id in BusinessKeys.FlowsOfCall(callId))
        {
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is { } instance)
            {
                found.Add(instance);
            }
        }

        // Scenario 2: F1 started an escalation whose id ends with the call id; its service request is in F1's input.
        var medical = found.FirstOrDefault(i => i.InstanceId == BusinessKeys.MedicalEmergencyTransfer(callId));
        if (medical?.ReadInputAs<MedicalEmergencyTransferInput>() is { ServiceRequestId: { } request }
            && await client.GetInstanceAsync(BusinessKeys.MedicalSeverityEscalation(request, callId), getInputsAndOutputs: true, cancellationToken) is { } escalation)
        {
            found.Add(escalation);
        }

        return found;
    }

    private static async Task<List<OrchestrationMetadata>> OfServiceJobAsync(DurableTaskClient client, string jobId, EscalationOptions options, CancellationToken cancellationToken)
    {
        var prefix = BusinessKeys.SeverityEscalationPrefix(jobId);
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = true };
        var found = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            // Job "J1"'s prefix also matches job "J1-2": keep ids whose rest is a reason, numbered or with F1's call.
            var rest = instance.InstanceId[prefix.Length..];
            if (options.Reasons.Keys.Any(reason => IsOfReason(rest, reason)))
            {
                found.Add(instance);
                if (found.Count == MaxEscalations)
                {
                    break;
                }
            }
        }

        // F1 (scenario 2) starts an escalation named "…@{callId}": that call's F1 belongs to the job too.
        var calls = found.Select(i => i.InstanceId).Where(id => id.Contains('@', StringComparison.Ordinal)).Select(id => id[(id.LastIndexOf('@') + 1)..]);
        foreach (var call in calls.Distinct(StringComparer.Ordinal).ToList())
        {
            if (await client.GetInstanceAsync(BusinessKeys.MedicalEmergencyTransfer(call), getInputsAndOutputs: true, cancellationToken) is { } instance)
            {
                found.Add(instance);
            }
        }

        return found;
    }

    private static bool IsOfReason(string rest, string reason) =>
        rest == reason
        || rest.StartsWith(reason + "@", StringComparison.Ordinal)
        || (rest.Length > reason.Length + 1 && rest.StartsWith(reason + "-", StringComparison.Ordinal) && rest.AsSpan(reason.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0);
}
