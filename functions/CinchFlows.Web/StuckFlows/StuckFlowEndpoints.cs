using System.Text.Json;
using CinchFlows.Flows;
using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;

namespace CinchFlows.Web.StuckFlows;

/// <summary>
/// The stuck-flow check on demand and its repair (docs/api.md §5, "Stuck flows", ops role):
/// <c>GET /api/ops/stuck-flows</c> and <c>POST /api/ops/stuck-flows/{instanceId}/repair</c>.
/// </summary>
internal static class StuckFlowEndpoints
{
    /// <summary>The list's route under <c>/api</c>.</summary>
    public const string Route = "/ops/stuck-flows";

    /// <summary>The repair's route under <c>/api</c>.</summary>
    public const string RepairRoute = "/ops/stuck-flows/{instanceId}/repair";

    /// <summary>Maps both routes on <paramref name="api"/> (the <c>/api</c> group): the check behind "ops", the repair behind "ops-person".</summary>
    public static RouteGroupBuilder MapStuckFlows(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, ListAsync).RequireAuthorization(AccessPolicies.Ops);
        api.MapPost(RepairRoute, RepairAsync).RequireAuthorization(AccessPolicies.OpsPerson);
        return api;
    }

    /// <summary>Runs the check now (it tells nobody: the scheduled check alerts) and answers what it found.</summary>
    internal static async Task<IResult> ListAsync(StuckFlowCheck check, CancellationToken cancellationToken)
    {
        var report = await check.FindAsync(cancellationToken);
        return TypedResults.Json(report, StuckFlowJson.Options);
    }

    /// <summary>Repairs one flow's status row from its history, when the body confirms it and says who asks.</summary>
    internal static async Task<IResult> RepairAsync(string instanceId, HttpRequest request, StuckFlowRepair repair, CancellationToken cancellationToken)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        if (body.Value is not { ValueKind: JsonValueKind.Object } json
            || !json.TryGetProperty("confirm", out var confirm) || confirm.ValueKind != JsonValueKind.True)
        {
            return ApiProblems.BadRequest("The body must be {\"confirm\":true}: a repair rewrites the flow's status row, so it must be confirmed ('by' is optional and can only be you: the signed-in person is recorded).");
        }

        // A person repairs as themselves ('by' optional, and only theirs).
        if (!PersonActor.TryResolve(request.HttpContext, json, "by", out var by, out var problem))
        {
            return problem!;
        }

        var result = await repair.RepairAsync(instanceId, by, cancellationToken);
        return await ActionRecorder.AfterAsync(request.HttpContext, instanceId, "repair", result.Outcome switch
        {
            StuckFlowRepair.Outcome.Repaired => TypedResults.Json(
                new { instanceId, from = result.From, runtimeStatus = result.To, repairedBy = by },
                StuckFlowJson.Options),
            StuckFlowRepair.Outcome.NotFound => ApiProblems.InstanceNotFound(instanceId),
            _ => TypedResults.Problem(result.Why, statusCode: StatusCodes.Status409Conflict),
        });
    }
}
