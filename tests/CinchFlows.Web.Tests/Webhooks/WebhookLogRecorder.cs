using Microsoft.Extensions.Logging;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>A logger provider that keeps every formatted line of every category (with exception text), to prove what is never logged.</summary>
internal sealed class WebhookLogRecorder : ILoggerProvider
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public string AllText => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (lines)
        {
            lines.Add(line);
        }
    }

    private sealed class Logger(WebhookLogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Add($"{logLevel} {category} {eventId.Id} {formatter(state, exception)} {exception}");
    }
}
