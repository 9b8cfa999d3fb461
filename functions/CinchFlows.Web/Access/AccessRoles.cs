namespace CinchFlows.Web.Access;

/// <summary>The roles an API key can have (docs/api.md §8, <c>Access:Keys</c>).</summary>
internal static class AccessRoles
{
    /// <summary>Operations: the management API, and everything a supervisor may do.</summary>
    public const string Ops = "ops";

    /// <summary>Supervisors: callbacks and escalations.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>The role's canonical spelling, or null when <paramref name="role"/> is not a role.</summary>
    public static string? Normalize(string? role) => role?.Trim().ToUpperInvariant() switch
    {
        "OPS" => Ops,
        "SUPERVISOR" => Supervisor,
        _ => null,
    };
}
