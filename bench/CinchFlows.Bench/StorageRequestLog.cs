using System.Text.RegularExpressions;

namespace CinchFlows.Bench;

/// <summary>
/// Counts the storage requests Azurite answered, from its access log (one line per request, printed when the answer
/// goes out), by kind: method and resource, e.g. <c>POST cinchflows-control-01/messages</c> or
/// <c>GET cinchflowsHistory</c>. It counts where requests land, so any build is measured the same way, whatever
/// counters its engine keeps. A snapshot at a known moment is taken with a marker: the harness asks Azurite for a path
/// no client uses and waits until that line comes out; everything before it was answered before the marker was.
/// </summary>
internal sealed partial class StorageRequestLog
{
    /// <summary>The first path segment of every marker request (a queue name no client uses).</summary>
    public const string MarkerPrefix = "cinchflows-bench-marker-";

    private readonly object gate = new();
    private readonly Dictionary<string, long> byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<StorageRequestSnapshot>> markers = new(StringComparer.Ordinal);
    private long total;

    /// <summary>Requests counted so far (markers excluded).</summary>
    public long Total
    {
        get
        {
            lock (gate)
            {
                return total;
            }
        }
    }

    /// <summary>The count of one kind so far.</summary>
    public long Count(string kind)
    {
        lock (gate)
        {
            return byKind.GetValueOrDefault(kind);
        }
    }

    /// <summary>The counts now, without a marker: exact only for requests whose line has come out already.</summary>
    public StorageRequestSnapshot Now()
    {
        lock (gate)
        {
            return new StorageRequestSnapshot(total, new Dictionary<string, long>(byKind, StringComparer.Ordinal));
        }
    }

    /// <summary>A snapshot that completes when the line of the marker request <paramref name="marker"/> comes out.</summary>
    public Task<StorageRequestSnapshot> WhenMarked(string marker)
    {
        lock (gate)
        {
            if (!markers.TryGetValue(marker, out var waiting))
            {
                waiting = new TaskCompletionSource<StorageRequestSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                markers[marker] = waiting;
            }

            return waiting.Task;
        }
    }

    /// <summary>Takes in one line Azurite printed; lines that are not requests are ignored.</summary>
    public void Observe(string line)
    {
        if (Kind(line) is not { } kind)
        {
            return;
        }

        lock (gate)
        {
            var marker = kind.IndexOf(MarkerPrefix, StringComparison.Ordinal);
            if (marker >= 0)
            {
                var name = kind[marker..].Split('/', ' ')[0];
                var snapshot = new StorageRequestSnapshot(total, new Dictionary<string, long>(byKind, StringComparer.Ordinal));
                if (markers.TryGetValue(name, out var waiting))
                {
                    waiting.TrySetResult(snapshot);
                }
                else
                {
                    markers[name] = CompletedWith(snapshot);
                }

                return;
            }

            total++;
            byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
        }
    }

    /// <summary>
    /// The kind of the request an access-log line records ("METHOD resource[/messages][?comp=…]"), or null when the line
    /// records none. The resource is the path's first segment after the account, keys in parentheses dropped.
    /// </summary>
    public static string? Kind(string line)
    {
        var match = RequestLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var method = match.Groups["method"].Value;
        var target = match.Groups["target"].Value;
        var query = string.Empty;
        var questionMark = target.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            var comp = CompParameter().Match(target[questionMark..]);
            query = comp.Success ? $"?comp={comp.Groups[1].Value}" : string.Empty;
            target = target[..questionMark];
        }

        // /<account>/<resource>[/<rest>]
        var segments = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return $"{method} /{query}";
        }

        var resource = segments[1];
        var parenthesis = resource.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0)
        {
            resource = resource[..parenthesis];
        }

        var messages = segments.Length > 2 && segments[2] == "messages" ? "/messages" : string.Empty;
        return $"{method} {resource}{messages}{query}";
    }

    private static TaskCompletionSource<StorageRequestSnapshot> CompletedWith(StorageRequestSnapshot snapshot)
    {
        var done = new TaskCompletionSource<StorageRequestSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult(snapshot);
        return done;
    }

    // 127.0.0.1 - - [06/Dec/2026:17:24:26 +0000] "POST /devstoreaccount1/myq/messages HTTP/1.1" 201 -
    [GeneratedRegex("\"(?<method>[A-Z]+) (?<target>/\\S*) HTTP/[0-9.]+\" [0-9]{3}", RegexOptions.CultureInvariant)]
    private static partial Regex RequestLine();

    [GeneratedRegex("[?&]comp=([A-Za-z]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CompParameter();
}

/// <summary>Azurite's request counts at one moment.</summary>
internal sealed record StorageRequestSnapshot(long Total, IReadOnlyDictionary<string, long> ByKind)
{
    /// <summary>Requests between <paramref name="earlier"/> and this.</summary>
    public long Since(StorageRequestSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return Total - earlier.Total;
    }

    /// <summary>Requests per kind between <paramref name="earlier"/> and this, largest first, kinds without any left out.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> KindsSince(StorageRequestSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return [.. ByKind.Select(p => KeyValuePair.Create(p.Key, p.Value - earlier.ByKind.GetValueOrDefault(p.Key)))
            .Where(p => p.Value > 0)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)];
    }
}
