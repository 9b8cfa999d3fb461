using System.Collections.Concurrent;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Engine;

/// <summary>
/// The engine's log lines of one task hub, across every <see cref="HubHost"/> on it (a test that restarts a host reads
/// both), kept in memory so that a test that times out can say what the engine did meanwhile.
/// </summary>
internal static class EngineLog
{
    /// <summary>DurableTask.AzureStorage's "no new messages were found" and "fetched instance status": one per poll or read.</summary>
    private static readonly HashSet<int> Noise = [117, 136];

    private static readonly ConcurrentDictionary<string, LogRecorder> ByTaskHub = new(StringComparer.Ordinal);

    public static LogRecorder Of(string taskHub) => ByTaskHub.GetOrAdd(taskHub, _ => new LogRecorder());

    /// <summary>The backend and the hub at Information and above; anything else only from Warning.</summary>
    public static bool Keeps(string? category, LogLevel level) =>
        level >= LogLevel.Warning
        || (level >= LogLevel.Information && category is not null && (IsBackend(category) || category.StartsWith("CinchFlows.DurableHub", StringComparison.Ordinal)));

    /// <summary>The last <paramref name="count"/> lines on <paramref name="taskHub"/>, the backend's per-poll lines left out.</summary>
    public static string Tail(string taskHub, int count = 80) => string.Join(
        '\n',
        Of(taskHub).Lines
            .Where(line => !(IsBackend(line.Category) && Noise.Contains(line.EventId)))
            .TakeLast(count)
            .Select(line => $"{line.At:HH:mm:ss.fff} {line.Level} {line.Category}[{line.EventId}] {line.Message}"));

    private static bool IsBackend(string category) => category.StartsWith("DurableTask.AzureStorage", StringComparison.Ordinal);
}
