using CinchFlows.Web.Access;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;

namespace CinchFlows.Web.Ops;

/// <summary><c>GET /api/ops/flows/{instanceId}/story</c> (ops role): the flow told in the trade's words, built from its status and history.</summary>
internal static class FlowStoryEndpoints
{
    /// <summary>The route under <c>/api</c>.</summary>
    public const string Route = "/ops/flows/{instanceId}/story";

    /// <summary>Maps the route on <paramref name="api"/> (the <c>/api</c> group) behind the "ops" policy.</summary>
    public static RouteGroupBuilder MapFlowStory(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, GetAsync).RequireAuthorization(AccessPolicies.Ops);
        return api;
    }

    /// <summary>200 with the story; 404 for an unknown flow or an invalid id (not repeated).</summary>
    internal static async Task<IResult> GetAsync(string instanceId, ManagedInstances instances, CancellationToken cancellationToken)
    {
        var instance = InstanceIds.IsValid(instanceId) ? await instances.GetAsync(instanceId, cancellationToken) : null;
        if (instance is null)
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        var history = await instances.GetHistoryAsync(instanceId, cancellationToken);
        return TypedResults.Ok(FlowStoryBuilder.Build(InstanceStatusJson.ToJson(instance, showInput: true, history)));
    }
}
