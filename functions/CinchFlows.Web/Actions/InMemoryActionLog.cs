using System.Collections.Concurrent;

namespace CinchFlows.Web.Actions;

/// <summary>The action log for the in-memory engine (development and tests): gone with the process, as the flows are.</summary>
internal sealed class InMemoryActionLog : IActionLog
{
    private readonly ConcurrentDictionary<string, List<FlowAction>> actions = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task RecordAsync(string instanceId, FlowAction action, CancellationToken cancellationToken)
    {
        var list = actions.GetOrAdd(instanceId, _ => []);
        lock (list)
        {
            list.Add(action);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<FlowAction>> ListAsync(string instanceId, int max, CancellationToken cancellationToken)
    {
        if (!actions.TryGetValue(instanceId, out var list))
        {
            return Task.FromResult<IReadOnlyList<FlowAction>>([]);
        }

        lock (list)
        {
            // Stable sort: two actions in the same tick stay in the order they were recorded.
            return Task.FromResult<IReadOnlyList<FlowAction>>([.. list.OrderBy(a => a.Time).Take(max)]);
        }
    }
}
