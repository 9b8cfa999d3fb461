using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CinchFlows.IntegrationTests.Reliability;

/// <summary>
/// What the Azure Storage backend's warnings in the workers' output say, read as they print it: steps two workers ran
/// at once and lease renewals cut at their timeout (counted), and the messages it put back with a back-off
/// (DurableTask.AzureStorage warning 104, "&lt;instance&gt;: Abandoning [&lt;event&gt;] message back to &lt;queue&gt; and
/// setting a visibility delay of &lt;n&gt;ms"). The backend hides such a message for 2^d seconds on its d-th delivery,
/// up to 10 minutes: a flow whose message a restart or a lapsed lock put back a few times sits still that long and
/// then goes on, which is a delay, not a lost flow. The log says "ms" but the number is seconds (the pinned 2.11.3's
/// field is <c>VisibilityTimeoutSeconds</c>; it grows 2, 4, 8, … in the runs).
/// </summary>
internal sealed partial class EngineWarnings(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> hiddenUntil = new(StringComparer.Ordinal);
    private int count;
    private int splitBrains;
    private int leaseTimeouts;
    private long longestSeconds;

    public EngineWarnings()
        : this(TimeProvider.System)
    {
    }

    /// <summary>How many messages the backend put back with a back-off.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>The longest back-off the backend gave one message.</summary>
    public TimeSpan Longest => TimeSpan.FromSeconds(Interlocked.Read(ref longestSeconds));

    /// <summary>
    /// Steps whose history the backend refused because another worker had committed that flow's step first (warning 138,
    /// "Split brain detected"): two workers ran one step at once, which a lease taken over while its owner still works
    /// causes (docs/engine.md, adapter item 10).
    /// </summary>
    public int SplitBrains => Volatile.Read(ref splitBrains);

    /// <summary>
    /// Reads and writes of the partition leases the backend cut at <c>Durable:PartitionTableOperationTimeout</c> (warning
    /// 121; its text says "2-second" whatever the setting): a worker that cannot renew for 30 s loses its leases.
    /// </summary>
    public int LeaseTimeouts => Volatile.Read(ref leaseTimeouts);

    /// <summary>Reads one line of a worker's output; anything but a back-off, split-brain or lease-timeout line is ignored.</summary>
    public void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains(": Split brain detected: ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref splitBrains);
            return;
        }

        if (line.TrimStart().StartsWith("Operation to read and write the partition table exceeded", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref leaseTimeouts);
            return;
        }

        if (AbandonLine().Match(line) is not { Success: true } match
            || !long.TryParse(match.Groups["seconds"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return;
        }

        Interlocked.Increment(ref count);
        var until = clock.GetUtcNow().AddSeconds(seconds);
        hiddenUntil.AddOrUpdate(match.Groups["instance"].Value, until, (_, earlier) => earlier > until ? earlier : until);
        long longest;
        while (seconds > (longest = Interlocked.Read(ref longestSeconds)) && Interlocked.CompareExchange(ref longestSeconds, seconds, longest) != longest)
        {
        }
    }

    /// <summary>Until when the backend keeps the latest message it put back for <paramref name="instanceId"/> hidden, or null if it put none back.</summary>
    public DateTimeOffset? HiddenUntil(string instanceId) => hiddenUntil.TryGetValue(instanceId, out var until) ? until : null;

    [GeneratedRegex(@"^\s*(?<instance>\S+): Abandoning \[[^\]]+\] message back to \S+ and setting a visibility delay of (?<seconds>\d+)ms", RegexOptions.CultureInvariant)]
    private static partial Regex AbandonLine();
}
