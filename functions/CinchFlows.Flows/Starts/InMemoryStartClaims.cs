using System.Collections.Concurrent;

namespace CinchFlows.Flows.Starts;

/// <summary>Start claims in memory: for tests and the in-memory run mode (one process).</summary>
public sealed class InMemoryStartClaims(TimeProvider timeProvider) : IStartClaims
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset At)> claims = new(StringComparer.Ordinal);
    private long issued;

    /// <inheritdoc/>
    public Task<StartClaim?> TryClaimAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var now = timeProvider.GetUtcNow();
        var mine = (Token: Interlocked.Increment(ref issued).ToString(System.Globalization.CultureInfo.InvariantCulture), At: now);
        if (claims.TryAdd(instanceId, mine))
        {
            return Task.FromResult<StartClaim?>(new StartClaim(instanceId, mine.Token));
        }

        if (claims.TryGetValue(instanceId, out var held) && now - held.At > StartClaim.Timeout && claims.TryUpdate(instanceId, mine, held))
        {
            return Task.FromResult<StartClaim?>(new StartClaim(instanceId, mine.Token));
        }

        return Task.FromResult<StartClaim?>(null);
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(StartClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claims.TryGetValue(claim.InstanceId, out var held) && held.Token == claim.Token)
        {
            claims.TryRemove(new KeyValuePair<string, (string, DateTimeOffset)>(claim.InstanceId, held));
        }

        return Task.CompletedTask;
    }
}
