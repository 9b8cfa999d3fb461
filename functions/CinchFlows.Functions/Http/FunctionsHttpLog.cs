using Microsoft.Extensions.Logging;

namespace CinchFlows.Functions.Http;

/// <summary>Log messages of the Functions app's HTTP functions (event ids 2900-2999).</summary>
internal static partial class FunctionsHttpLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "CinchFlows.Functions.Http";

    [LoggerMessage(EventId = 2901, Level = LogLevel.Error, Message = "HTTP function {FunctionName} failed; answered {StatusCode} with a problem details body.")]
    public static partial void Failed(this ILogger logger, Exception exception, string functionName, int statusCode);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Information, Message = "HTTP function {FunctionName} answered {StatusCode}: the flow has not started yet; the caller is asked to try again.")]
    public static partial void RetryLater(this ILogger logger, string functionName, int statusCode);
}
