using Microsoft.AspNetCore.Hosting;

namespace CinchFlows.Standalone.Hosting;

/// <summary>Decides where Kestrel listens when the configuration does not say.</summary>
internal static class ListenAddress
{
    /// <summary>Where the standalone host listens by default (docs/api.md §8).</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>The URLs to listen on, or null to leave the configured ones (<c>Urls</c>, <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c>) in force.</summary>
    public static string? Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
        return configured ? null : DefaultUrls;
    }
}
