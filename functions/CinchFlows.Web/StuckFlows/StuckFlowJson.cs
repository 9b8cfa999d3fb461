using System.Text.Json;

namespace CinchFlows.Web.StuckFlows;

/// <summary>How findings are written in alerts and API answers: camelCase, enums by name.</summary>
internal static class StuckFlowJson
{
    /// <summary>The options.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
