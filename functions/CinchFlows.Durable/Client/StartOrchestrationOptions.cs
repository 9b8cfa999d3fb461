namespace CinchFlows.Durable.Client;

/// <summary>Options for starting an orchestration.</summary>
/// <param name="InstanceId">The instance id; derive it from a business key so a repeated start is a no-op. Null picks a new GUID.</param>
/// <param name="StartAt">Start no earlier than this time.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)
{
    /// <summary>
    /// Asked once this call has created the instance and before anything runs it: false deletes it again and the start
    /// reports <c>Created = false</c>. Lets a caller check something (a webhook's receipt) at the same time as the create
    /// instead of before it.
    /// </summary>
    public Func<CancellationToken, Task<bool>>? ConfirmNew { get; init; }
}
