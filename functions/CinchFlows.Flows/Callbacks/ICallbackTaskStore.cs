namespace CinchFlows.Flows.Callbacks;

/// <summary>Where Call Back Tasks live: plain reads and conditional writes; the rules are in <see cref="CallbackTaskClient"/>.</summary>
public interface ICallbackTaskStore
{
    /// <summary>Adds <paramref name="task"/> unless a task with its id exists; returns what is stored either way.</summary>
    Task<StoredCallbackTask> AddOrGetAsync(CallbackTask task, CancellationToken cancellationToken);

    /// <summary>Reads one task, or null.</summary>
    Task<StoredCallbackTask?> GetAsync(string callbackId, CancellationToken cancellationToken);

    /// <summary>Replaces a task if its version is still <paramref name="version"/>; false when someone changed it first.</summary>
    Task<bool> TryReplaceAsync(CallbackTask task, string version, CancellationToken cancellationToken);

    /// <summary>Tasks with <paramref name="status"/> (all when null), oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<CallbackTask>> ListAsync(CallbackStatus? status, int max, CancellationToken cancellationToken);
}
