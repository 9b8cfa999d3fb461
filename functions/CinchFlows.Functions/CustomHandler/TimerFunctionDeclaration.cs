using System.Text.Json.Nodes;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>A function on a schedule (NCRONTAB with seconds, UTC).</summary>
/// <param name="Name">The function's name and invocation path.</param>
/// <param name="Schedule">Six-field NCRONTAB, e.g. <c>*/30 * * * * *</c>.</param>
internal sealed record TimerFunctionDeclaration(string Name, string Schedule) : FunctionDeclaration(Name)
{
    /// <summary>The binding's name: the key of the timer in the invocation's <c>Data</c>.</summary>
    public const string BindingName = "timer";

    /// <inheritdoc/>
    public override JsonObject ToFunctionJson() => new()
    {
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["type"] = "timerTrigger",
            ["direction"] = "in",
            ["name"] = BindingName,
            ["schedule"] = Schedule,
            ["runOnStartup"] = false,
        }),
    };
}
