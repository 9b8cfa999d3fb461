using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Engine;

/// <summary>
/// The engine's log lines of one task hub, across every <see cref="HubHost"/> on it (a test that restarts a host reads
/// both), kept in memory so that a test that times out can say what the engine did meanwhile.
/// </summary>
internal sealed class EngineLog : ILoggerProvider
{
    private const int Kept = 400;

    /// <summary>DurableTask.AzureStorage's "no new messages were found" and "fetched instance status": one per poll or read.</summary>
    private static readonly HashSet<int> Noise = [117, 136];

    private static readonly ConcurrentDictionary<string, EngineLog> ByTaskHub = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<string> lines = new();

    public static EngineLog Of(string taskHub) => ByTaskHub.GetOrAdd(taskHub, _ => new EngineLog());

    /// <summary>The backend and the hub at Information and above; anything else only from Warning.</summary>
    public static bool Keeps(string? category, LogLevel level) =>
        level >= LogLevel.Warning
        || (level >= LogLevel.Information && category is not null
            && (category.StartsWith("DurableTask.AzureStorage", StringComparison.Ordinal) || category.StartsWith("CinchFlows.DurableHub", StringComparison.Ordinal)));

    public string Tail(int count = 80) => string.Join('\n', lines.TakeLast(count));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(EngineLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Noise.Contains(eventId.Id) && category.StartsWith("DurableTask.AzureStorage", StringComparison.Ordinal))
            {
                return;
            }

            log.lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            while (log.lines.Count > Kept)
            {
                log.lines.TryDequeue(out _);
            }
        }
    }
}
