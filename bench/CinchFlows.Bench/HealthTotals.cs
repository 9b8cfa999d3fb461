namespace CinchFlows.Bench;

/// <summary>
/// The engine's progress as <c>GET /api/health</c> shows it, in both builds: orchestration steps (work items) and
/// activities run, and polls of the work queues that found nothing.
/// </summary>
internal sealed record HealthTotals(long Steps, long Activities, long EmptyPolls)
{
    /// <summary>Steps and activities together: unchanged while no flow moves.</summary>
    public long Progress => Steps + Activities;
}
