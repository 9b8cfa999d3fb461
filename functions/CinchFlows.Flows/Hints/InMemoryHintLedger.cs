using System.Collections.Concurrent;

namespace CinchFlows.Flows.Hints;

/// <summary>Hints given, in memory: for tests and the in-memory run mode.</summary>
public sealed class InMemoryHintLedger : IHintLedger
{
    private readonly ConcurrentDictionary<(string CallId, HintProtocol Protocol), DateTimeOffset> hints = new();

    /// <inheritdoc/>
    public Task<bool> TryRecordAsync(string callId, HintProtocol protocol, DateTimeOffset hintedTime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        return Task.FromResult(hints.TryAdd((callId, protocol), hintedTime));
    }

    /// <inheritdoc/>
    public Task<DateTimeOffset?> FindAsync(string callId, HintProtocol protocol, CancellationToken cancellationToken) =>
        Task.FromResult(hints.TryGetValue((callId, protocol), out var time) ? time : (DateTimeOffset?)null);

    /// <inheritdoc/>
    public Task ForgetAsync(string callId, HintProtocol protocol, CancellationToken cancellationToken)
    {
        hints.TryRemove((callId, protocol), out _);
        return Task.CompletedTask;
    }
}
