using System.Globalization;

namespace CinchFlows.Flows.Shared;

/// <summary>Small text helpers the flows share: lists from configuration and times a person reads.</summary>
internal static class FlowText
{
    /// <summary>Splits "a, b,c" into its trimmed, non-empty items.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"10:42:05 UTC" for a status line.</summary>
    public static string Clock(DateTime utc) => utc.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"2026-11-22 10:42 UTC" for a time further away.</summary>
    public static string When(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
