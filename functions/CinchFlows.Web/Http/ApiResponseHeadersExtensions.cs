using Microsoft.Net.Http.Headers;

namespace CinchFlows.Web.Http;

/// <summary>
/// Headers every API answer carries: <c>Cache-Control: no-store</c> (flow status, callbacks and health are never to be
/// kept by a proxy or browser) and <c>X-Content-Type-Options: nosniff</c>. A handler that sets its own Cache-Control
/// (the ops page's files) keeps it; nosniff is always set.
/// </summary>
internal static class ApiResponseHeadersExtensions
{
    /// <summary>Adds the headers to every response of <paramref name="app"/> (first in the pipeline, so error answers get them too).</summary>
    public static IApplicationBuilder UseApiResponseHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            Apply(context);
            return next(context);
        });
    }

    /// <summary>Arranges for the headers to be set when <paramref name="context"/>'s response starts.</summary>
    public static void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(
            static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.XContentTypeOptions = "nosniff";
                if (string.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            },
            context.Response);
    }
}
