using System.Text.Json.Nodes;
using CinchFlows.Flows;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Management;

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
    /// <c>waitingFor</c> and <c>waitingSince</c> while it runs (the flow's own status: what it waits for, since when),
    /// then <c>historyEvents</c> when a history is given.
    /// </remarks>
    public static JsonObject ToJson(OrchestrationMetadata instance, bool showInput, IReadOnlyList<JsonObject>? history = null)
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
            json["failureDetails"] = Failure(failure);
        }
        else if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed && json["output"] is JsonValue message && message.TryGetValue<string>(out var text))
        {
            // The Azure Storage backend keeps no failure details (its Instances table has no column for them, and the
            // hub leaves them out of the history): what it keeps of a failure is the error message, as the output.
            json["failureDetails"] = new JsonObject { ["errorMessage"] = text };
        }

        if (!FlowStatuses.IsFinished(instance.RuntimeStatus) && json["customStatus"] is JsonObject status)
        {
            if (status["text"] is JsonValue waitingFor)
            {
                json["waitingFor"] = waitingFor.DeepClone();
            }

            if (status["since"] is JsonValue waitingSince)
            {
                json["waitingSince"] = waitingSince.DeepClone();
            }
        }

        if (history is not null)
        {
            json["historyEvents"] = new JsonArray([.. history.Select(e => (JsonNode)HistoryEventJson.ToJson(e))]);
        }

        return json;
    }

    /// <summary>A failure as <c>errorType</c>, <c>errorMessage</c>, <c>stackTrace</c> and <c>innerFailure</c>.</summary>
    public static JsonObject Failure(Microsoft.DurableTask.TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var json = new JsonObject { ["errorType"] = failure.ErrorType, ["errorMessage"] = failure.ErrorMessage };
        if (failure.StackTrace is { } stack)
        {
            json["stackTrace"] = stack;
        }

        if (failure.InnerFailure is { } inner)
        {
            json["innerFailure"] = Failure(inner);
        }

        return json;
    }

    /// <summary>ISO 8601 in UTC with a <c>Z</c>.</summary>
    public static JsonNode Time(DateTimeOffset time) => JsonValue.Create(time.UtcDateTime);
}
