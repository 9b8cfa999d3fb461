using System.Text.Json;
using System.Text.Json.Serialization;

namespace CinchFlows.Flows;

/// <summary>
/// The one JSON shape of the flows' inputs, outputs, events, custom statuses and notification bodies: web defaults
/// (camelCase), enums as strings, nulls left out when writing. Hosts give the Durable Task worker and client
/// <c>new JsonDataConverter(FlowJson.Options)</c>, so what callers read over HTTP keeps this shape.
/// </summary>
public static class FlowJson
{
    /// <summary>The serializer options (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a payload; null stays null.</summary>
    public static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    /// <summary>Deserializes a payload; null or empty gives default.</summary>
    public static T? Deserialize<T>(string? json) =>
        string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
