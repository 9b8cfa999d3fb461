namespace CinchFlows.Web.Hints;

/// <summary>
/// <c>com.cinch.call.transcript.segment</c>: a piece of the live transcript. Held in memory while the webhook is answered
/// and dropped: <see cref="Text"/> is never stored, logged, traced or sent, and <see cref="ToString"/> leaves it out.
/// </summary>
/// <param name="CallId">The live call.</param>
/// <param name="AgentId">The agent on the call, who gets the hint.</param>
/// <param name="Speaker">Who spoke: only the customer's final segments are considered.</param>
/// <param name="Text">What was said.</param>
/// <param name="Final">False for an interim guess the platform may still revise.</param>
internal sealed record TranscriptSegment(string CallId, string AgentId, TranscriptSpeaker Speaker, string Text, bool Final)
{
    /// <summary>The segment without its text, so that no log or debugger display shows what was said.</summary>
    public override string ToString() =>
        $"TranscriptSegment {{ CallId = {CallId}, AgentId = {AgentId}, Speaker = {Speaker}, Final = {Final}, Text = ({Text.Length} characters) }}";
}
