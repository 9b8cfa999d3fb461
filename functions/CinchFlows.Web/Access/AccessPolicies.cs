namespace CinchFlows.Web.Access;

/// <summary>Authorization policy names for <c>RequireAuthorization(...)</c> on routes.</summary>
internal static class AccessPolicies
{
    /// <summary>Needs an ops key.</summary>
    public const string Ops = "ops";

    /// <summary>Needs a supervisor or an ops key.</summary>
    public const string Supervisor = "supervisor";
}
