namespace CinchFlows.Web.Health;

/// <summary>The 200 body of <c>GET /api/health</c>: the verdict, and what this process has done since it started.</summary>
/// <param name="Status">"Healthy".</param>
/// <param name="StorageCheck">How storage was judged: <c>recent-answer</c> (it answered one of this process's requests within <c>Health:RecentAnswer</c>; no probe sent) or <c>probe</c>.</param>
/// <param name="StorageLatencyMs">How long the probe took; for <c>recent-answer</c>, how long ago storage last answered.</param>
/// <param name="Store">The engine's store: <c>AzureStorage</c> or <c>InMemory</c>.</param>
/// <param name="StorageRequests">Storage requests sent (each is billed), retries included.</param>
/// <param name="Steps">Orchestration steps the engine committed.</param>
/// <param name="Activities">Activities run.</param>
/// <param name="EmptyPolls">Polls of the engine's queues that found nothing.</param>
/// <param name="StorageRequestsByComponent">Storage requests per sender: <c>runtime</c> (the Durable Task backend and the health check), <c>webhook-receipts</c>, <c>callback-tasks</c>, <c>escalation-acks</c>, <c>notifications</c>, <c>callback-requests</c>.</param>
internal sealed record HealthReport(
    string Status,
    string StorageCheck,
    double StorageLatencyMs,
    string Store,
    long StorageRequests,
    long Steps,
    long Activities,
    long EmptyPolls,
    IReadOnlyDictionary<string, long> StorageRequestsByComponent);
