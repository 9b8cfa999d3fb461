using Microsoft.Extensions.Logging;

namespace CinchFlows.Functions.Http;

/// <summary>Log messages of the Functions app's HTTP functions (event ids 2900-2999).</summary>
internal static partial class FunctionsHttpLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "CinchFlows.Functions.Http";

    [LoggerMessage(EventId = 2901, Level = LogLevel.Error, Message = "HTTP function {FunctionName} failed; answered {StatusCode} with a problem details body.")]
    public static partial void Failed(this ILogger logger, Exception exception, string functionName, int statusCode);
}
