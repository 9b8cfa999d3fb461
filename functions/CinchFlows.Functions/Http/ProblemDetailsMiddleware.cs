using CinchFlows.Web.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Functions.Http;

/// <summary>
/// Answers an exception that escapes an HTTP function as the standalone host does (<see cref="ApiErrorHandlingExtensions"/>):
/// a problem details body with the status the exception calls for (503 with <c>Retry-After</c> for a storage outage,
/// the request's own status for a bad request, else 500). Other triggers' exceptions go on to the host, which retries.
/// </summary>
internal sealed class ProblemDetailsMiddleware : IFunctionsWorkerMiddleware
{
    /// <inheritdoc/>
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            await ApiErrorHandlingExtensions.WriteProblemAsync(http, ex);
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(FunctionsHttpLog.Category);
            if (ApiErrorHandlingExtensions.IsRetryLater(ex))
            {
                // An expected moment (a flow not started yet), not a fault: one line, no stack trace.
                logger.RetryLater(context.FunctionDefinition.Name, http.Response.StatusCode);
            }
            else
            {
                logger.Failed(ex, context.FunctionDefinition.Name, http.Response.StatusCode);
            }
        }
    }
}
