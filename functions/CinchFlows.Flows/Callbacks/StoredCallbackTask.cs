namespace CinchFlows.Flows.Callbacks;

/// <summary>A callback task as read from its store, with the version a conditional replace must match.</summary>
/// <param name="Task">The task.</param>
/// <param name="Version">The store's version (an ETag in Azure Tables).</param>
public sealed record StoredCallbackTask(CallbackTask Task, string Version);
