using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>One log line as the app wrote it.</summary>
internal sealed record LogLine(DateTime At, LogLevel Level, string Category, int EventId, string Message);

/// <summary>Keeps every formatted log line with its event id, category and time, to assert what the app said.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<LogLine> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Lines.Enqueue(new LogLine(DateTime.UtcNow, logLevel, category, eventId.Id, formatter(state, exception)));
    }
}
