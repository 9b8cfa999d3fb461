namespace CinchFlows.Functions.Health;

/// <summary>The 200 body of <c>GET /api/health</c>: the verdict and the runtime's counters since the process started.</summary>
/// <param name="Status">"Healthy".</param>
/// <param name="StorageLatencyMs">How long the storage check took.</param>
/// <param name="StorageRequests">Storage requests sent (each is billed).</param>
/// <param name="Steps">Orchestration steps committed.</param>
/// <param name="Activities">Activities run.</param>
/// <param name="Conflicts">Steps retried after an ETag conflict.</param>
/// <param name="EmptyPolls">Queue polls that found nothing.</param>
/// <param name="StorageRequestsByComponent">Storage requests per sender: <c>runtime</c> (the durable store), <c>webhook-receipts</c>, <c>callback-tasks</c>, <c>notifications</c>, <c>callback-requests</c>.</param>
internal sealed record HealthReport(
    string Status,
    double StorageLatencyMs,
    long StorageRequests,
    long Steps,
    long Activities,
    long Conflicts,
    long EmptyPolls,
    IReadOnlyDictionary<string, long> StorageRequestsByComponent);
