using CinchFlows.Web.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CinchFlows.Functions.Http;

/// <summary>The standalone host's API response headers (<see cref="ApiResponseHeadersExtensions"/>) on every HTTP function's answer.</summary>
internal sealed class ApiResponseHeadersMiddleware : IFunctionsWorkerMiddleware
{
    /// <inheritdoc/>
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http)
        {
            ApiResponseHeadersExtensions.Apply(http);
        }

        return next(context);
    }
}
