namespace CinchFlows.Web.Access;

/// <summary>Authorization policy names for <c>RequireAuthorization(...)</c> on routes.</summary>
internal static class AccessPolicies
{
    /// <summary>Reads of the ops role: an ops key or a token with the Ops app role.</summary>
    public const string Ops = "ops";

    /// <summary>Reads of the supervisor role: a supervisor or ops key, or a token with either app role.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>
    /// No credential needed. Only routes that say so are open (the telephony webhook, which is signed; health; the ops
    /// page's files, whose data needs a credential): every other route falls back to <see cref="Ops"/>, so a route
    /// added without a policy is closed, not open. The Functions app's triggers name this or another policy; none may
    /// leave it out.
    /// </summary>
    public const string Anonymous = "anonymous";

    /// <summary>Actions of the ops role: a person's token with the Ops app role (not an API key, not an app-only token).</summary>
    public const string OpsPerson = "ops-person";

    /// <summary>Actions of the supervisor role: a person's token with the Supervisor or Ops app role (not an API key, not an app-only token).</summary>
    public const string SupervisorPerson = "supervisor-person";

    /// <summary>Anyone signed in: a person's token, an app's token or an API key.</summary>
    public const string SignedIn = "signed-in";
}
