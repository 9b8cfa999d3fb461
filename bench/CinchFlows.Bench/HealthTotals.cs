namespace CinchFlows.Bench;

/// <summary>The runtime's counters as <c>GET /api/health</c> shows them.</summary>
internal sealed record HealthTotals(long StorageRequests, long Steps, long Activities, long Conflicts, long EmptyPolls);
