using System.Globalization;

namespace CinchFlows.Flows.Callbacks;

/// <summary>Callback tasks in memory, for tests and the in-memory run mode.</summary>
public sealed class InMemoryCallbackTaskStore : ICallbackTaskStore
{
    private readonly Dictionary<string, StoredCallbackTask> tasks = new(StringComparer.Ordinal);
    private long version;

    /// <inheritdoc/>
    public Task<StoredCallbackTask> AddOrGetAsync(CallbackTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (tasks)
        {
            if (!tasks.TryGetValue(task.CallbackId, out var stored))
            {
                tasks[task.CallbackId] = stored = new StoredCallbackTask(task, NextVersion());
            }

            return Task.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public Task<StoredCallbackTask?> GetAsync(string callbackId, CancellationToken cancellationToken)
    {
        lock (tasks)
        {
            return Task.FromResult(tasks.GetValueOrDefault(callbackId));
        }
    }

    /// <inheritdoc/>
    public Task<bool> TryReplaceAsync(CallbackTask task, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (tasks)
        {
            if (!tasks.TryGetValue(task.CallbackId, out var stored) || stored.Version != version)
            {
                return Task.FromResult(false);
            }

            tasks[task.CallbackId] = new StoredCallbackTask(task, NextVersion());
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CallbackTask>> ListAsync(CallbackStatus? status, int max, CancellationToken cancellationToken)
    {
        lock (tasks)
        {
            IReadOnlyList<CallbackTask> list = tasks.Values.Select(s => s.Task)
                .Where(t => status is null || t.Status == status)
                .OrderBy(t => t.CreatedTime).ThenBy(t => t.CallbackId, StringComparer.Ordinal)
                .Take(max).ToList();
            return Task.FromResult(list);
        }
    }

    private string NextVersion() => (++version).ToString(CultureInfo.InvariantCulture);
}
