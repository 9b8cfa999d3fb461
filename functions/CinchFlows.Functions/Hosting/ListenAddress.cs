using Microsoft.AspNetCore.Hosting;

namespace CinchFlows.Functions.Hosting;

/// <summary>Decides where Kestrel listens when the configuration does not say.</summary>
internal static class ListenAddress
{
    /// <summary>Where the standalone host listens by default (docs/api.md §8).</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>The variable the Functions host sets to the port a custom handler must listen on.</summary>
    public const string CustomHandlerPortKey = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The URLs to listen on, or null to leave the configured ones (<c>Urls</c>, <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c>) in force.</summary>
    public static string? Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Under the Functions host the port it hands out wins: the host forwards requests nowhere else.
        var port = configuration[CustomHandlerPortKey];
        if (ushort.TryParse(port, out var portNumber) && portNumber > 0)
        {
            return $"http://127.0.0.1:{portNumber}";
        }

        var configured = new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
        return configured ? null : DefaultUrls;
    }
}
