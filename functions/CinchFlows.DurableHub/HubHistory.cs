using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CinchFlows.DurableHub;

/// <summary>
/// Reads an instance's history from the backend. The hub serves history only to its worker, not to clients, so the
/// management API reads it here: from the Azure Storage backend's History table, or, in memory, from the copy
/// <see cref="HubBackendAdapter"/> keeps of every committed step.
/// </summary>
public sealed class HubHistory
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        Converters = { new StringEnumConverter() },
        NullValueHandling = NullValueHandling.Ignore,
        DateFormatHandling = DateFormatHandling.IsoDateFormat,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    };

    private readonly HubBackend backend;
    private readonly ConcurrentDictionary<string, IReadOnlyList<HistoryEvent>> memory = new(StringComparer.Ordinal);

    /// <summary>Creates the reader and, for the in-memory backend, starts recording.</summary>
    public HubHistory(HubBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
        if (backend.Kind == DurableStoreKind.InMemory && backend.Service is HubBackendAdapter hub)
        {
            hub.Committed += (instanceId, events) => memory[instanceId] = events;
        }
    }

    /// <summary>
    /// The instance's history events as JSON objects (the backend's field names: <c>EventType</c>, <c>Timestamp</c>,
    /// <c>Name</c>, <c>Input</c>, <c>Result</c>, …), oldest first; empty when there is none.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        string json;
        if (backend.Kind == DurableStoreKind.InMemory)
        {
            if (!memory.TryGetValue(instanceId, out var events))
            {
                return [];
            }

            json = JsonConvert.SerializeObject(events, Settings);
        }
        else
        {
            json = await backend.Client.GetOrchestrationHistoryAsync(instanceId, executionId: null).WaitAsync(cancellationToken).ConfigureAwait(false);

            // The backend writes EventType as a number; read it back as the enum's name.
            var typed = JsonConvert.DeserializeObject<List<Dictionary<string, object?>>>(json) ?? [];
            foreach (var item in typed)
            {
                if (item.TryGetValue(nameof(HistoryEvent.EventType), out var type) && type is long number)
                {
                    item[nameof(HistoryEvent.EventType)] = ((EventType)number).ToString();
                }
            }

            json = JsonConvert.SerializeObject(typed, Settings);
        }

        return JsonNode.Parse(json) is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
    }

    /// <summary>Forgets a purged instance's in-memory history.</summary>
    public void Forget(string instanceId) => memory.TryRemove(instanceId, out _);
}
