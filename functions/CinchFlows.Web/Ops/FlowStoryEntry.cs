namespace CinchFlows.Web.Ops;

/// <summary>One line of a flow's story: when, what happened in the trade's words, and what kind of line it is.</summary>
/// <param name="Time">When it happened (the history event's time; for the current wait, since when).</param>
/// <param name="Text">What happened, e.g. "transfer attempt 2 to Customer Service (x69187): no answer after 2 min".</param>
/// <param name="Kind">
/// <c>step</c> (the flow did something), <c>wait</c> (what it waits for now), <c>person</c> (someone acted),
/// <c>success</c> (a goal met), <c>warning</c> (a goal missed, an alert, something not sent) or <c>failure</c>.
/// </param>
internal sealed record FlowStoryEntry(DateTimeOffset? Time, string Text, string Kind);
