using System.Text.Json;
using System.Text.Json.Nodes;

namespace CinchFlows.Web.Management;

/// <summary>Embeds serialized payloads (input, output, custom status) as JSON values rather than as strings.</summary>
internal static class PayloadJson
{
    /// <summary>The JSON value <paramref name="serialized"/> holds; text that is not JSON (e.g. a plain termination reason) stays a string.</summary>
    public static JsonNode? Embed(string? serialized)
    {
        if (serialized is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(serialized);
        }
        catch (JsonException)
        {
            return JsonValue.Create(serialized);
        }
    }
}
