namespace CinchFlows.Web.Management;

/// <summary>Builds absolute management URLs from the request's scheme, host and path base.</summary>
internal static class ManagementUris
{
    /// <summary>The absolute base of the API, e.g. <c>http://127.0.0.1:7071/api</c>.</summary>
    public static string ApiBase(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}/api";
    }

    /// <summary>The status URL of one instance.</summary>
    public static string Status(HttpRequest request, string instanceId) =>
        $"{ApiBase(request)}/instances/{Uri.EscapeDataString(instanceId)}";

    /// <summary>The management payload of one instance; <c>{eventName}</c> and <c>{text}</c> are left for the caller to fill, as Durable does.</summary>
    public static ManagementPayload Payload(HttpRequest request, string instanceId)
    {
        var instance = Status(request, instanceId);
        return new ManagementPayload(
            instanceId,
            instance,
            $"{instance}/raiseEvent/{{eventName}}",
            $"{instance}/terminate?reason={{text}}",
            $"{instance}/suspend?reason={{text}}",
            $"{instance}/resume?reason={{text}}",
            instance);
    }
}
