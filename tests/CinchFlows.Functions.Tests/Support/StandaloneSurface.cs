using CinchFlows.Standalone;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Functions.Tests.Support;

/// <summary>The standalone host's endpoints, read from the built (never started) app.</summary>
public static class StandaloneSurface
{
    /// <summary>"METHOD /api/route" of every endpoint, with the authorization policy it requires (null: anonymous).</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> RoutesAsync()
    {
        await using var app = CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(
        [
            new("Urls", "http://127.0.0.1:0"),
            new("Durable:Store", "InMemory"),
            new("Logging:LogLevel:Default", "Warning"),
        ]));
        var routes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            var policy = endpoint.Metadata.OfType<IAllowAnonymous>().Any()
                ? null
                : endpoint.Metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault();
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                routes[FunctionsMetadata.Route(method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'))] = policy;
            }
        }

        return routes;
    }

    /// <summary>The standalone host's background services (its queue listener and timers), by type name.</summary>
    public static async Task<IReadOnlySet<string>> HostedServicesAsync()
    {
        await using var app = CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(
        [
            new("Urls", "http://127.0.0.1:0"),
            new("Durable:Store", "InMemory"),
        ]));
        return app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name).ToHashSet(StringComparer.Ordinal);
    }
}
