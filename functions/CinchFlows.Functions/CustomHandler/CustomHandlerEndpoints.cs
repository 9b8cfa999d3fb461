using CinchFlows.Functions.Callbacks;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.CustomHandler;

/// <summary>The custom-handler protocol: the host's readiness probe and one invocation route per non-HTTP function.</summary>
internal static class CustomHandlerEndpoints
{
    /// <summary>Registers what the invocations need when the Functions host runs the app.</summary>
    public static IServiceCollection AddCustomHandler(this IServiceCollection services, IConfiguration configuration)
    {
        if (CustomHandlerMode.IsActive(configuration))
        {
            services.AddSingleton<InvocationHandler>();
        }

        return services;
    }

    /// <summary>Maps <c>GET /</c> and <c>POST /{FunctionName}</c> of every queue and timer function, in custom-handler mode only.</summary>
    public static WebApplication MapCustomHandler(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!CustomHandlerMode.IsActive(app.Configuration))
        {
            return app;
        }

        var functions = CinchFlowsFunctions.All(app.Services.GetRequiredService<IOptions<CallbackRequestOptions>>().Value);
        var protocol = app.MapGroup(string.Empty).AllowAnonymous().WithMetadata(CustomHandlerProtocolMetadata.Instance);

        // The host waits for an answer here before it forwards anything.
        protocol.MapGet("/", () => TypedResults.Text("CinchFlows custom handler: ready."));
        var served = 0;
        foreach (var function in functions.Where(f => f is not HttpFunctionDeclaration))
        {
            Func<InvocationHandler, HttpContext, Task<IResult>> handle = function.Name switch
            {
                CinchFlowsFunctions.CallbackRequests => (handler, context) => handler.CallbackRequestAsync(context),
                _ => throw new InvalidOperationException($"Function {function.Name} is declared but has no invocation handler."),
            };
            protocol.MapPost("/" + function.Name, (HttpContext context, InvocationHandler handler) => handle(handler, context));
            served++;
        }

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CustomHandlerEndpoints)).Serving(served);
        return app;
    }
}
