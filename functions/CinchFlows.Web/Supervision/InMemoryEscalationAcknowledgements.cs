using System.Collections.Concurrent;

namespace CinchFlows.Web.Supervision;

/// <summary>Acknowledgements in process memory (<c>Durable:Store=InMemory</c>).</summary>
internal sealed class InMemoryEscalationAcknowledgements : IEscalationAcknowledgements
{
    private readonly ConcurrentDictionary<string, string> holders = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<string> ClaimAsync(string escalationId, string by, CancellationToken cancellationToken) =>
        Task.FromResult(holders.GetOrAdd(escalationId, by));
}
