using CinchFlows.Flows;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Flows.Shared;
using CinchFlows.Web.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Supervision;

/// <summary><c>GET /api/escalations</c>: the F2 flows as a supervisor's work queue.</summary>
internal static partial class SupervisorEndpoints
{
    /// <summary>The id prefix of every F2 flow (<see cref="BusinessKeys.SeverityEscalation(string, string)"/>).</summary>
    internal const string EscalationPrefix = "escalation-";

    private static readonly OrchestrationRuntimeStatus[] NotFinished =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    internal static async Task<IResult> ListEscalationsAsync(
        HttpRequest request,
        DurableTaskClient durable,
        IOptionsMonitor<EscalationOptions> options,
        CancellationToken cancellationToken)
    {
        var status = EscalationListStatus.Open;
        if (request.Query["status"] is { Count: > 0 } given
            && (given.Count > 1 || !Enum.TryParse(given[0], ignoreCase: true, out status) || !Enum.IsDefined(status) || char.IsAsciiDigit(given[0]![0])))
        {
            return ApiProblems.BadRequest("'status' must be one of open, acknowledged, closed.");
        }

        var top = 100;
        if (request.Query["top"] is { Count: > 0 } topValue && (topValue.Count > 1 || !int.TryParse(topValue[0], out top) || top < 1 || top > MaxTop))
        {
            return ApiProblems.BadRequest($"'top' must be a whole number from 1 to {MaxTop}.");
        }

        // A range of the instance ids (on Azure Storage: a PartitionKey range of the Instances table), never a whole-table scan.
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = EscalationPrefix,
            FetchInputsAndOutputs = true,
            PageSize = 200,
            Statuses = status switch
            {
                EscalationListStatus.Open => NotFinished,
                EscalationListStatus.Closed => Finished,
                _ => null,
            },
        };
        var found = new List<EscalationJson>();
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name != FlowNames.SeverityEscalation || ToJson(instance, options.CurrentValue) is not { } escalation)
            {
                continue;
            }

            var acknowledged = escalation.AcknowledgedBy is not null;
            var wanted = status switch
            {
                EscalationListStatus.Open => !acknowledged,
                EscalationListStatus.Acknowledged => acknowledged,
                _ => !acknowledged,
            };
            if (wanted)
            {
                found.Add(escalation);
            }
        }

        // Open: the nearest acknowledgement deadline first (one not started yet has none: last). Otherwise newest first.
        IEnumerable<EscalationJson> ordered = status == EscalationListStatus.Open
            ? found.OrderBy(e => e.DueTime ?? DateTimeOffset.MaxValue).ThenBy(e => e.CreatedTime)
            : found.OrderByDescending(e => e.CreatedTime);
        return TypedResults.Ok(ordered.Take(top));
    }

    private static EscalationJson? ToJson(OrchestrationMetadata instance, EscalationOptions options)
    {
        var input = instance.ReadInputAs<SeverityEscalationInput>();
        if (input is null)
        {
            return null;
        }

        var flowStatus = instance.ReadCustomStatusAs<FlowStatus>();
        var output = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<SeverityEscalationOutput>() : null;

        // A flow started before the status carried the route: the taxonomy it was raised under says where it went.
        var route = flowStatus?.Route ?? output?.Route.ToString() ?? options.Find(input.Reason, input.SubReason)?.Route.ToString();
        var severity = flowStatus?.Severity ?? output?.Severity.ToString() ?? input.Severity?.ToString();
        var open = !FlowStatuses.IsFinished(instance.RuntimeStatus);
        return new EscalationJson(
            instance.InstanceId,
            input.ServiceJobId,
            route,
            severity,
            input.Reason,
            input.SubReason,
            input.RaisedBy,
            instance.CreatedAt,
            open && flowStatus?.Due is { } due ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) : null,
            flowStatus?.Tier,
            flowStatus?.AcknowledgedBy ?? output?.AcknowledgedBy);
    }
}
