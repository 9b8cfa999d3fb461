namespace CinchFlows.Functions.CustomHandler;

/// <summary>Tells whether the executable runs under the Azure Functions host as its custom handler.</summary>
internal static class CustomHandlerMode
{
    /// <summary>The variable the Functions host sets to the port its custom handler must listen on.</summary>
    public const string PortKey = Hosting.ListenAddress.CustomHandlerPortKey;

    /// <summary>True when the Functions host started this process: its triggers drive the work, no in-process listener runs.</summary>
    public static bool IsActive(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[PortKey]);
    }
}
