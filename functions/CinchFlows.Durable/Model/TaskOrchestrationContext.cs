using Microsoft.Extensions.Logging;

namespace CinchFlows.Durable;

/// <summary>
/// The orchestration's only window on the world (Durable's <c>TaskOrchestrationContext</c>): everything here is
/// recorded in history and replayed, so the orchestration's code stays deterministic.
/// </summary>
public abstract class TaskOrchestrationContext
{
    /// <summary>The orchestration's name.</summary>
    public abstract string Name { get; }

    /// <summary>This instance's id.</summary>
    public abstract string InstanceId { get; }

    /// <summary>The current time, as recorded in history: the same on every replay.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the code re-runs past history (side effects such as logging should be skipped).</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Schedules an activity and returns its result.</summary>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity that returns nothing.</summary>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    /// <summary>A durable timer that fires at <paramref name="fireAt"/> (UTC); cancelling it lets the code move on.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>A durable timer that fires after <paramref name="delay"/>.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) =>
        CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>Waits for an external event by name (case-insensitive), as long as it takes.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an external event or throws <see cref="TimeoutException"/> when <paramref name="timeout"/> passes first.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Sets the status a person reads while the instance runs (serialized to JSON).</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>A GUID that is the same on every replay (name-based, from the instance id and a counter).</summary>
    public abstract Guid NewGuid();

    /// <summary>Runs another orchestration as a child and returns its output.</summary>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null);

    /// <summary>Runs another orchestration as a child that returns nothing.</summary>
    public Task CallSubOrchestratorAsync(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null) =>
        CallSubOrchestratorAsync<object?>(orchestratorName, input, options);

    /// <summary>
    /// Starts another orchestration without waiting for it (fire and forget) and returns its instance id. Starting an
    /// id that exists already changes nothing.
    /// </summary>
    public abstract string StartOrchestration(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null);

    /// <summary>A logger that writes only when the code is not replaying.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);

    /// <summary>A logger that writes only when the code is not replaying, with the category of <typeparamref name="T"/>.</summary>
    public ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T).FullName ?? typeof(T).Name);
}
