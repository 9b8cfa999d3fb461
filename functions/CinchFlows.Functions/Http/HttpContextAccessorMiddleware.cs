using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CinchFlows.Functions.Http;

/// <summary>
/// Makes an HTTP function's request the current one (<see cref="IHttpContextAccessor"/>), as the standalone host does,
/// so a shared handler that takes no request (terminate, suspend, resume, purge) can still record who acted.
/// </summary>
internal sealed class HttpContextAccessorMiddleware(IHttpContextAccessor accessor) : IFunctionsWorkerMiddleware
{
    /// <inheritdoc/>
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http)
        {
            accessor.HttpContext = http;
        }

        await next(context);
    }
}
