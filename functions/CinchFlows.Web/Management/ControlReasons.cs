namespace CinchFlows.Web.Management;

/// <summary>
/// The reason codes ops may give to terminate, suspend or resume a flow (docs/api.md §5). A reason is a code from this
/// list, never free text: it is kept in the flow's history and logged, and a sentence there could hold a caller's
/// medical details.
/// </summary>
internal static class ControlReasons
{
    /// <summary>The codes, in the order docs/api.md lists them.</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        "duplicate",          // a second flow for the same call or job
        "test-call",          // a test or training call
        "caller-hung-up",     // the caller is gone; nothing left to do
        "handled-elsewhere",  // handled by hand or in another channel
        "operator-error",     // started or flagged by mistake
        "stuck",              // not moving; being looked into
        "maintenance",        // planned work on the platform or a system it calls
        "issue-resolved",     // what held it is fixed (typically with resume)
    ];

    /// <summary>The 400 detail for a reason not on the list; it never repeats what was sent.</summary>
    public static string Refusal { get; } =
        $"'reason' must be one of the reason codes {string.Join(", ", Codes)} (or left out); free text is not accepted, as it would be kept in the flow's history and logs.";

    /// <summary>
    /// True when <paramref name="reason"/> is absent or empty (<paramref name="code"/> null) or one of <see cref="Codes"/>
    /// (exact case).
    /// </summary>
    public static bool TryRead(string? reason, out string? code)
    {
        code = null;
        if (string.IsNullOrEmpty(reason))
        {
            return true;
        }

        code = Codes.FirstOrDefault(c => string.Equals(c, reason, StringComparison.Ordinal));
        return code is not null;
    }
}
