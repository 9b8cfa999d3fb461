namespace CinchFlows.Functions.CustomHandler;

/// <summary>Marks the endpoints of the custom-handler protocol itself (readiness probe, invocations): they are no HTTP functions.</summary>
internal sealed class CustomHandlerProtocolMetadata
{
    /// <summary>The one instance.</summary>
    public static readonly CustomHandlerProtocolMetadata Instance = new();
}
