namespace CinchFlows.Bench;

/// <summary>
/// The engine's progress as <c>GET /api/health</c> shows it, in both builds: orchestration steps (work items) and
/// activities run, and polls of the work queues that found nothing; and where the engine keeps its flows (<c>store</c>,
/// which only this build reports: null for the baseline, which keeps them in Azurite).
/// </summary>
internal sealed record HealthTotals(long Steps, long Activities, long EmptyPolls, string? Store = null)
{
    /// <summary>Whether the engine keeps its flows in Azurite (all but <c>Durable:Store=InMemory</c>).</summary>
    public bool EngineOnAzurite => !string.Equals(Store, "InMemory", StringComparison.OrdinalIgnoreCase);

    /// <summary>Steps and activities together: unchanged while no flow moves.</summary>
    public long Progress => Steps + Activities;
}
