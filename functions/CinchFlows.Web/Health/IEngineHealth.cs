namespace CinchFlows.Web.Health;

/// <summary>What <c>GET /api/health</c> asks of the host's Durable Task engine: each host runs it its own way.</summary>
internal interface IEngineHealth
{
    /// <summary>The engine's store: <c>AzureStorage</c> or <c>InMemory</c>.</summary>
    string Store { get; }

    /// <summary>True once the engine can take work.</summary>
    bool Ready { get; }

    /// <summary>Orchestration steps this process committed (0 where the host does not say).</summary>
    long Steps { get; }

    /// <summary>Activities this process ran (0 where the host does not say).</summary>
    long Activities { get; }

    /// <summary>Polls of the engine's queues that found nothing (0 where the host does not say).</summary>
    long EmptyPolls { get; }

    /// <summary>One storage round trip; throws when storage does not answer.</summary>
    Task CheckStorageAsync(CancellationToken cancellationToken);
}
