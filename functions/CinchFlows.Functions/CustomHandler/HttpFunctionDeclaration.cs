using System.Text.Json.Nodes;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>An HTTP-triggered function; the host forwards the request unchanged (<c>enableForwardingHttpRequest</c>).</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Route">The full route without a leading slash (host.json's <c>routePrefix</c> is empty), e.g. <c>api/health</c>.</param>
/// <param name="Methods">HTTP methods, upper case.</param>
/// <param name="AuthLevel">One of <see cref="FunctionAuthLevel"/>.</param>
internal sealed record HttpFunctionDeclaration(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel) : FunctionDeclaration(Name)
{
    /// <inheritdoc/>
    public override JsonObject ToFunctionJson() => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = AuthLevel,
                ["methods"] = new JsonArray([.. Methods.Select(m => JsonValue.Create(m.ToLowerInvariant()))]),
                ["route"] = Route,
            },
            new JsonObject
            {
                ["type"] = "http",
                ["direction"] = "out",
                ["name"] = "res",
            }),
    };
}
