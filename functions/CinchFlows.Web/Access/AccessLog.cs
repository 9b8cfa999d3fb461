namespace CinchFlows.Web.Access;

/// <summary>Log messages of access control (event ids 2000-2099).</summary>
internal static partial class AccessLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "No API keys are configured (Access:Keys): every call to a protected route will get 401.")]
    public static partial void NoKeysConfigured(this ILogger logger);
}
