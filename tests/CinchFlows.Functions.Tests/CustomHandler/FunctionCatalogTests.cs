using CinchFlows.DurableHub;
using CinchFlows.Functions.Callbacks;
using CinchFlows.Functions.CustomHandler;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CinchFlows.Functions.Tests.CustomHandler;

/// <summary>The function declarations and the app's real endpoints stay in step; the custom-handler mode serves the rest.</summary>
public sealed class FunctionCatalogTests
{
    private static IReadOnlyList<FunctionDeclaration> Functions => CinchFlowsFunctions.All(new CallbackRequestOptions());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_HTTP_route_of_the_app_has_a_function_and_every_HTTP_function_a_route(bool customHandler)
    {
        await using var app = Build(customHandler);

        var routes = HttpRoutes(app, protocol: false);
        var declared = Functions.OfType<HttpFunctionDeclaration>()
            .SelectMany(f => f.Methods.Select(m => $"{m} {f.Route}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(routes.Count > 10, "the app's endpoints were found");
        Assert.Empty(routes.Except(declared)); // a route without a function: declare it in CinchFlowsFunctions
        Assert.Empty(declared.Except(routes)); // a function without a route
    }

    [Fact]
    public async Task In_custom_handler_mode_the_probe_and_every_non_HTTP_function_are_served_the_engine_runs_in_process_and_the_queue_listener_does_not()
    {
        await using var app = Build(customHandler: true);

        var protocol = HttpRoutes(app, protocol: true);
        var expected = Functions.Where(f => f is not HttpFunctionDeclaration).Select(f => $"POST {f.Name}").Append("GET ").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(), protocol.Order());
        var hosted = app.Services.GetServices<IHostedService>().ToList();
        Assert.DoesNotContain(hosted, s => s is CallbackRequestListener);

        // No queue or timer trigger drives the flows any more: the hub and its worker run in the process, as standalone.
        Assert.Contains(hosted, s => s is DurableHubServer);
        Assert.Contains(hosted, s => s is DurableTaskWorker);
    }

    [Fact]
    public async Task Standalone_the_listeners_and_the_engine_run_and_no_invocation_route_exists()
    {
        await using var app = Build(customHandler: false);

        Assert.Empty(HttpRoutes(app, protocol: true));
        var hosted = app.Services.GetServices<IHostedService>().ToList();
        Assert.Contains(hosted, s => s is CallbackRequestListener);
        Assert.Contains(hosted, s => s is DurableHubServer);
        Assert.Contains(hosted, s => s is DurableTaskWorker);
    }

    [Fact]
    public void The_only_non_HTTP_function_is_the_callback_requests_queue()
    {
        // The engine's own queue (DurableWork) and sweeper timer (DurableSweeper) are gone with the old engine.
        var other = Assert.Single(Functions, f => f is not HttpFunctionDeclaration);

        Assert.Equal(CinchFlowsFunctions.CallbackRequests, other.Name);
    }

    [Fact]
    public void Function_names_are_unique_and_usable_as_folder_and_path_names()
    {
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(Functions, f => Assert.Matches("^[A-Za-z][A-Za-z0-9]{0,127}$", f.Name));
    }

    [Fact]
    public void The_callback_queue_name_follows_the_settings()
    {
        var functions = CinchFlowsFunctions.All(new CallbackRequestOptions { QueueName = "cb-prod" });

        var queues = functions.OfType<QueueFunctionDeclaration>().ToDictionary(f => f.Name, f => f.QueueName);
        Assert.Equal("cb-prod", queues[CinchFlowsFunctions.CallbackRequests]);
    }

    private static WebApplication Build(bool customHandler) => CinchFlowsApp.Build(
        [],
        configure: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Durable:Store"] = "InMemory",
            [CustomHandlerMode.PortKey] = customHandler ? "65001" : null,
            ["Logging:LogLevel:Default"] = "Warning",
        }));

    /// <summary>"METHOD route" of every endpoint the app maps: the HTTP functions' routes, or the custom-handler protocol's.</summary>
    private static HashSet<string> HttpRoutes(WebApplication app, bool protocol) =>
        ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<CustomHandlerProtocolMetadata>() is not null == protocol)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => $"{method} {endpoint.RoutePattern.RawText!.TrimStart('/')}"))
            .ToHashSet(StringComparer.Ordinal);
}
