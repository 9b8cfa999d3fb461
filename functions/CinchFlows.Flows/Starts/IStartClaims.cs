namespace CinchFlows.Flows.Starts;

/// <summary>
/// Makes the starts of one instance id take turns, in every host. The Durable Task Azure Storage backend creates an
/// instance in three unguarded steps: it reads the instance row, queues the start message, then writes the row. Two
/// starts of one id that both read before either wrote both queue a start, and the flow's history gets two
/// <c>ExecutionStarted</c> events: the engine then refuses to run it ("Multiple ExecutionStartedEvent found"). A platform
/// retrying a slow webhook, a redelivered activity or a second worker makes exactly that race, so
/// <see cref="FlowStarts.StartOnceAsync"/> takes a claim first.
/// </summary>
public interface IStartClaims
{
    /// <summary>
    /// Claims the start of <paramref name="instanceId"/>: the claim, or null while another caller holds one younger than
    /// <see cref="StartClaim.Timeout"/> (an older one is taken over: its holder died mid-start).
    /// </summary>
    Task<StartClaim?> TryClaimAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Gives <paramref name="claim"/> up; a claim taken over meanwhile is left alone. Never throws for storage.</summary>
    Task ReleaseAsync(StartClaim claim, CancellationToken cancellationToken);
}

/// <summary>A claim on starting one instance id; <paramref name="Token"/> tells this holder's claim from a later one.</summary>
public sealed record StartClaim(string InstanceId, string Token)
{
    /// <summary>
    /// How long a claim keeps other starts of its id out: far longer than a start takes (two storage writes and a read,
    /// each with its retries), short enough that a start whose holder died is only held up briefly (they get 503).
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
}
