using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.Durable;
using CinchFlows.Durable.Client;
using CinchFlows.Durable.History;

namespace CinchFlows.Functions.Management;

/// <summary>Maps an instance to Durable Functions' status object and status code.</summary>
internal static class InstanceStatusJson
{
    /// <summary>200 once the instance has finished, 202 while it is pending, running or suspended.</summary>
    public static int StatusCodeFor(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => StatusCodes.Status200OK,
        _ => StatusCodes.Status202Accepted,
    };

    /// <summary>The status object in Durable Functions' shape, plus what ops need to see why an instance waits or failed.</summary>
    /// <remarks>
    /// Durable's fields (input left out when <paramref name="showInput"/> is false), then <c>failureDetails</c>,
    /// <c>waitingFor</c>, <c>waitingSince</c> and <c>parentInstanceId</c> when known, then <c>historyEvents</c> when a
    /// history is given.
    /// </remarks>
    public static JsonObject ToJson(OrchestrationMetadata instance, bool showInput, IReadOnlyList<HistoryEvent>? history = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var json = new JsonObject
        {
            ["name"] = instance.Name,
            ["instanceId"] = instance.InstanceId,
            ["runtimeStatus"] = instance.RuntimeStatus.ToString(),
        };
        if (showInput)
        {
            json["input"] = PayloadJson.Embed(instance.SerializedInput);
        }

        json["customStatus"] = PayloadJson.Embed(instance.SerializedCustomStatus);
        json["output"] = PayloadJson.Embed(instance.SerializedOutput);
        json["createdTime"] = Time(instance.CreatedAt);
        json["lastUpdatedTime"] = Time(instance.LastUpdatedAt);
        if (instance.FailureDetails is { } failure)
        {
            json["failureDetails"] = JsonSerializer.SerializeToNode(failure, DurableJson.Options);
        }

        if (instance.WaitingFor is { } waitingFor)
        {
            json["waitingFor"] = waitingFor;
        }

        if (instance.WaitingSince is { } waitingSince)
        {
            json["waitingSince"] = Time(waitingSince);
        }

        if (instance.ParentInstanceId is { } parent)
        {
            json["parentInstanceId"] = parent;
        }

        if (history is not null)
        {
            json["historyEvents"] = new JsonArray([.. history.Select(e => (JsonNode)HistoryEventJson.ToJson(e))]);
        }

        return json;
    }

    /// <summary>ISO 8601 in UTC with a <c>Z</c>.</summary>
    public static JsonNode Time(DateTimeOffset time) => JsonValue.Create(time.UtcDateTime);
}
