namespace CinchFlows.DurableHub;

/// <summary>What this process's engine has done since it started, for <c>GET /api/health</c> and the benchmark.</summary>
public sealed class EngineCounters
{
    private long steps;
    private long activities;
    private long emptyPolls;
    private long newerVersionsHandedBack;

    /// <summary>Orchestration steps committed (work items completed).</summary>
    public long Steps => Interlocked.Read(ref steps);

    /// <summary>Activities run to an answer (completed or failed).</summary>
    public long Activities => Interlocked.Read(ref activities);

    /// <summary>Polls of the backend that found no work before their receive timeout.</summary>
    public long EmptyPolls => Interlocked.Read(ref emptyPolls);

    /// <summary>Steps of flows newer than this worker's version that it handed back untouched (docs/engine.md, "Versions").</summary>
    public long NewerVersionsHandedBack => Interlocked.Read(ref newerVersionsHandedBack);

    internal void Step() => Interlocked.Increment(ref steps);

    internal void Activity() => Interlocked.Increment(ref activities);

    internal void EmptyPoll() => Interlocked.Increment(ref emptyPolls);

    internal void NewerVersionHandedBack() => Interlocked.Increment(ref newerVersionsHandedBack);
}
