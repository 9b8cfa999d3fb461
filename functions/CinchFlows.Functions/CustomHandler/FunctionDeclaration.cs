using System.Text.Json.Nodes;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>One Azure Functions function of the app: its name (the folder of its function.json) and its trigger.</summary>
/// <param name="Name">The function's name; for non-HTTP triggers also the path the host posts invocations to.</param>
internal abstract record FunctionDeclaration(string Name)
{
    /// <summary>The function's <c>function.json</c>.</summary>
    public abstract JsonObject ToFunctionJson();
}
