namespace CinchFlows.Bench;

/// <summary>The runtime's counters as <c>GET /api/health</c> shows them.</summary>
internal sealed record HealthTotals(long StorageRequests, long Steps, long Activities, long Conflicts, long EmptyPolls, IReadOnlyDictionary<string, long> ByComponent)
{
    /// <summary>The storage requests of the durable runtime's own store.</summary>
    public long RuntimeRequests => ByComponent.GetValueOrDefault("runtime");

    /// <summary>Requests per component between <paramref name="earlier"/> and this.</summary>
    public IReadOnlyDictionary<string, long> ComponentsSince(HealthTotals earlier) =>
        ByComponent.ToDictionary(p => p.Key, p => p.Value - earlier.ByComponent.GetValueOrDefault(p.Key), StringComparer.Ordinal);
}
