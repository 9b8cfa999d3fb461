using CinchFlows.Flows;
using Microsoft.AspNetCore.Diagnostics;

namespace CinchFlows.Web.Http;

/// <summary>Makes every 4xx and 5xx an RFC 9457 problem details body.</summary>
internal static class ApiErrorHandlingExtensions
{
    /// <summary>What a 503 for a storage outage tells clients to wait, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Adds the problem details service.</summary>
    public static IServiceCollection AddApiErrorHandling(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (StorageFailure.IsUnavailable(context.Exception))
            {
                context.ProblemDetails.Detail = "Storage is not reachable; try again later.";
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (context.Exception is FlowStartingException starting)
            {
                context.ProblemDetails.Detail = starting.Message;
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });

    /// <summary>Turns exceptions and empty error responses (unknown routes, wrong methods) into problem details.</summary>
    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Kestrel reports bad requests (body too large, bad framing) as exceptions with their own status: keep it, never 500.
            // A storage outage is the service being unavailable, not a bug: 503 tells clients and load balancers to retry.
            StatusCodeSelector = StatusCodeFor,

            // "Not started yet, send it again" is an expected moment of every busy start, answered 503 with Retry-After:
            // no error and stack trace per retry (a full-size chaos run logged 536 of them on one worker).
            SuppressDiagnosticsCallback = context => IsRetryLater(context.Exception),
        });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>True for an exception that asks the caller to try again shortly, not a fault: it is answered 503 and not logged as an error.</summary>
    public static bool IsRetryLater(Exception exception) => exception is FlowStartingException;

    /// <summary>The status an exception that escaped a handler is answered with.</summary>
    public static int StatusCodeFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when StorageFailure.IsUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        FlowStartingException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Answers an exception that escaped a handler as the standalone host's exception handler does: the status of
    /// <see cref="StatusCodeFor"/> and a problem details body (with <c>Retry-After</c> for a storage outage). For hosts
    /// without that middleware (the Functions app).
    /// </summary>
    public static async Task WriteProblemAsync(HttpContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodeFor(exception);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception });
    }
}
