using Microsoft.Extensions.Logging;

namespace CinchFlows.DurableHub;

/// <summary>
/// The logger factory the Azure Storage backend gets. The backend writes everything under one category,
/// <c>DurableTask.AzureStorage</c>, where a few partition-ownership lines (a worker takes, drains or loses a control
/// queue; its prefetch buffer is full and it stops reading) sit among a dozen lines per message. This factory moves
/// those few to <see cref="PartitionsCategory"/>, so they can be logged at Information while the rest stays at Warning
/// (appsettings.json; docs/engine.md, "Looking into a flow that seems stuck").
/// </summary>
internal sealed class BackendLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <summary>The category the backend writes under.</summary>
    public const string BackendCategory = "DurableTask.AzureStorage";

    /// <summary>Where this factory moves the backend's partition-ownership lines.</summary>
    public const string PartitionsCategory = "DurableTask.AzureStorage.Partitions";

    /// <summary>
    /// The backend's event ids for partition ownership (DurableTask.AzureStorage's <c>EventIds</c>): 116 prefetch limit
    /// reached, 120–122 partition manager information, warnings and errors, 125–134 lease renewal failures,
    /// acquisitions, steals and removals. Left out: 123 and 124, a renewal starting and succeeding, every 10 s per
    /// partition.
    /// </summary>
    internal static bool IsPartitionEvent(int eventId) => eventId is 116 or (>= 120 and <= 122) or (>= 125 and <= 134);

    public ILogger CreateLogger(string categoryName) =>
        categoryName == BackendCategory
            ? new SplitLogger(inner.CreateLogger(BackendCategory), inner.CreateLogger(PartitionsCategory))
            : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The host owns the inner factory.</summary>
    public void Dispose()
    {
    }

    private sealed class SplitLogger(ILogger backend, ILogger partitions) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => backend.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => backend.IsEnabled(logLevel) || partitions.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            (IsPartitionEvent(eventId.Id) ? partitions : backend).Log(logLevel, eventId, state, exception, formatter);
    }
}
