namespace CinchFlows.Web.Access;

/// <summary>Who may call the protected routes (configuration section <c>Access</c>).</summary>
internal sealed class AccessOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Access";

    /// <summary>Shortest key accepted outside the Development environment.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>The accepted keys. Default is none, and then every protected call gets 401.</summary>
    public IList<AccessKey> Keys { get; } = [];
}
