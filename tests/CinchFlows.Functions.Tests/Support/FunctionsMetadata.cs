using System.Text.Json.Nodes;

namespace CinchFlows.Functions.Tests.Support;

/// <summary>The <c>functions.metadata</c> the Functions SDK generated for the app (copied next to the tests by the project reference).</summary>
public static class FunctionsMetadata
{
    /// <summary>The route prefix of host.json, in front of every HTTP function's route.</summary>
    public const string RoutePrefix = "api";

    /// <summary>Every function with its bindings, as generated.</summary>
    public static JsonArray Load(string? folder = null) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder ?? AppContext.BaseDirectory, "functions.metadata")))!.AsArray();

    /// <summary>The trigger binding of each function, by function name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Triggers(JsonArray metadata) =>
        metadata.Select(f => f!.AsObject()).ToDictionary(
            f => f["name"]!.GetValue<string>(),
            f => f["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal)),
            StringComparer.Ordinal);

    /// <summary>"METHOD /api/route" of every HTTP function, the way the Functions host would serve it.</summary>
    public static IReadOnlyDictionary<string, string> HttpRoutes(JsonArray metadata)
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, trigger) in Triggers(metadata).Where(t => t.Value["type"]!.GetValue<string>() == "httpTrigger"))
        {
            foreach (var method in trigger["methods"]!.AsArray())
            {
                routes[Route(method!.GetValue<string>(), "/" + RoutePrefix + "/" + trigger["route"]!.GetValue<string>())] = name;
            }
        }

        return routes;
    }

    /// <summary>One route as the parity test compares it: upper-case method, the template as written.</summary>
    public static string Route(string method, string template) => method.ToUpperInvariant() + " " + template;
}
