using CinchFlows.Web.Access;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;

namespace CinchFlows.Web.Actions;

/// <summary><c>GET /api/ops/flows/{instanceId}/actions</c> (ops role): who did what to a flow, oldest first.</summary>
internal static class FlowActionEndpoints
{
    /// <summary>The route under <c>/api</c>.</summary>
    public const string Route = "/ops/flows/{instanceId}/actions";

    /// <summary>The most actions one answer lists.</summary>
    public const int MaxActions = 1000;

    /// <summary>Maps the route on <paramref name="api"/> (the <c>/api</c> group) behind the "ops" policy.</summary>
    public static RouteGroupBuilder MapFlowActions(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, ListAsync).RequireAuthorization(AccessPolicies.Ops);
        return api;
    }

    /// <summary>200 with <c>[{time, action, by, role, outcome, reason}]</c>, oldest first (empty for a flow nobody acted on); 404 for an invalid id.</summary>
    internal static async Task<IResult> ListAsync(string instanceId, IActionLog actions, CancellationToken cancellationToken)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        var found = await actions.ListAsync(instanceId, MaxActions, cancellationToken);
        return TypedResults.Ok(found);
    }
}
