namespace CinchFlows.Web.StuckFlows;

/// <summary>One check: when it ran, how many quiet flows it looked at, and the stuck ones.</summary>
/// <param name="CheckedTime">When the check ran.</param>
/// <param name="Looked">Quiet Pending or Running flows whose history it read.</param>
/// <param name="Findings">The stuck ones, the longest quiet first.</param>
internal sealed record StuckFlowReport(DateTimeOffset CheckedTime, int Looked, IReadOnlyList<StuckFlowFinding> Findings);
