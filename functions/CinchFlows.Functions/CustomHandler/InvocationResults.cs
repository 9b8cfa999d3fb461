using System.Text.Json.Nodes;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>The answers a custom handler gives the Functions host: <c>{"Outputs":…,"Logs":…,"ReturnValue":…}</c>.</summary>
internal static class InvocationResults
{
    /// <summary>200: the host completes the invocation (and deletes a queue message).</summary>
    public static IResult Succeeded(params string[] logs) => Answer(StatusCodes.Status200OK, logs);

    /// <summary>500: the invocation failed; the host makes a queue message visible again after its <c>visibilityTimeout</c>.</summary>
    public static IResult Failed(params string[] logs) => Answer(StatusCodes.Status500InternalServerError, logs);

    /// <summary>400 with a problem-details body: not an invocation of this function (the host counts it as a failure).</summary>
    public static IResult Malformed(string reason) => Http.ApiProblems.BadRequest(reason);

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<JsonObject> Answer(int statusCode, string[] logs) => TypedResults.Json(
        new JsonObject
        {
            ["Outputs"] = new JsonObject(),
            ["Logs"] = new JsonArray([.. logs.Select(l => JsonValue.Create(l))]),
            ["ReturnValue"] = null,
        },
        statusCode: statusCode);
}
