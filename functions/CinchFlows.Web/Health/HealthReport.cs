namespace CinchFlows.Web.Health;

/// <summary>The 200 body of <c>GET /api/health</c>: the verdict, and what this process has done since it started.</summary>
/// <param name="Status">"Healthy".</param>
/// <param name="StorageLatencyMs">How long the storage check took.</param>
/// <param name="Store">The engine's store: <c>AzureStorage</c> or <c>InMemory</c>.</param>
/// <param name="StorageRequests">Storage requests sent (each is billed), retries included.</param>
/// <param name="Steps">Orchestration steps the engine committed.</param>
/// <param name="Activities">Activities run.</param>
/// <param name="EmptyPolls">Polls of the engine's queues that found nothing.</param>
/// <param name="StorageRequestsByComponent">Storage requests per sender: <c>runtime</c> (the Durable Task backend and the health check), <c>webhook-receipts</c>, <c>callback-tasks</c>, <c>escalation-acks</c>, <c>notifications</c>, <c>callback-requests</c>.</param>
internal sealed record HealthReport(
    string Status,
    double StorageLatencyMs,
    string Store,
    long StorageRequests,
    long Steps,
    long Activities,
    long EmptyPolls,
    IReadOnlyDictionary<string, long> StorageRequestsByComponent);
