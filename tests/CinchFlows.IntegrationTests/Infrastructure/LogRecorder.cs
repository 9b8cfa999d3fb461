using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>Keeps every formatted log line with its event id, to assert what the app said.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(int EventId, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Lines.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
