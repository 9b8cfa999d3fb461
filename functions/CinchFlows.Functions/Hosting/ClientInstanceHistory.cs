using System.Text.Json.Nodes;
using CinchFlows.Web.Management;
using Microsoft.DurableTask.Client;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CinchFlows.Functions.Hosting;

/// <summary>
/// History read through the Durable extension's client: the same DTFx history events the standalone host reads from
/// its backend, in the same field names (<c>EventType</c> as its name, <c>Timestamp</c>, <c>Name</c>, <c>Input</c>, …).
/// </summary>
internal sealed class ClientInstanceHistory(DurableTaskClient client) : IInstanceHistory
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        Converters = { new StringEnumConverter() },
        NullValueHandling = NullValueHandling.Ignore,
        DateFormatHandling = DateFormatHandling.IsoDateFormat,
    };

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JsonObject>> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        var events = await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken);
        return JsonNode.Parse(JsonConvert.SerializeObject(events, Settings)) is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
    }

    /// <inheritdoc/>
    public void Forget(string instanceId)
    {
        // Nothing is kept in the process: the extension's store is the only copy.
    }
}
