using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Http;

/// <summary>The problem details results the API answers with.</summary>
internal static class ApiProblems
{
    /// <summary>400 with the reason.</summary>
    public static IResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>404 for an instance id nobody knows.</summary>
    public static IResult InstanceNotFound(string instanceId) =>
        TypedResults.Problem($"No orchestration instance '{instanceId}'.", statusCode: StatusCodes.Status404NotFound, title: "Instance not found");

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
