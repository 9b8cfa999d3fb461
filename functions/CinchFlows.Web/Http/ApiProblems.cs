using CinchFlows.Web.Management;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Http;

/// <summary>The problem details results the API answers with.</summary>
internal static class ApiProblems
{
    /// <summary>400 with the reason.</summary>
    public static IResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>404 for an instance id nobody knows, or one no instance could have (that one is not repeated).</summary>
    public static IResult InstanceNotFound(string instanceId) =>
        TypedResults.Problem($"No orchestration instance {Named(instanceId)}.", statusCode: StatusCodes.Status404NotFound, title: "Instance not found");

    /// <summary>404 for a callback id nobody knows, or one no callback could have.</summary>
    public static IResult CallbackNotFound(string callbackId) =>
        TypedResults.Problem($"No callback {Named(callbackId)}.", statusCode: StatusCodes.Status404NotFound, title: "Callback not found");

    /// <summary>404 for an escalation id nobody knows, or one no escalation could have.</summary>
    public static IResult EscalationNotFound(string escalationId) =>
        TypedResults.Problem($"No escalation {Named(escalationId)}.", statusCode: StatusCodes.Status404NotFound, title: "Escalation not found");

    // An id from the path is repeated only when it could be an id: anything else may hold control characters or text.
    private static string Named(string id) =>
        InstanceIds.IsValid(id) ? $"'{id}'" : $"with that id (ids are {InstanceIds.Rule})";

    /// <summary>410 for a request a finished instance cannot take.</summary>
    public static IResult InstanceFinished(string instanceId, OrchestrationRuntimeStatus status) =>
        TypedResults.Problem($"Orchestration instance '{instanceId}' is {status}.", statusCode: StatusCodes.Status410Gone, title: "Instance finished");

    /// <summary>409 for a purge of an instance that still runs.</summary>
    public static IResult InstanceStillRunning(string instanceId, OrchestrationRuntimeStatus status) =>
        TypedResults.Problem(
            $"Orchestration instance '{instanceId}' is {status}; terminate it first, then purge it.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Instance still running");

    /// <summary>413 for a body over the limit.</summary>
    public static IResult TooLarge(int limit) =>
        TypedResults.Problem($"The request body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>503 with the reason.</summary>
    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unhealthy");
}
