using CinchFlows.Flows.Callbacks;

namespace CinchFlows.Web.Supervision;

/// <summary>A Call Back Task as the supervisor API shows it (docs/api.md §4), status in lowercase.</summary>
internal sealed record CallbackTaskJson(
    string CallbackId,
    string? CallId,
    string CustomerId,
    string Status,
    string? ClaimedBy,
    DateTimeOffset CreatedTime,
    DateTimeOffset DueTime,
    string FlowId,
    string Priority,
    string Reason,
    string? Tier,
    DateTimeOffset? ClaimedTime,
    DateTimeOffset? CompletedTime,
    string? Outcome)
{
    public static CallbackTaskJson From(CallbackTask task) => new(
        task.CallbackId,
        task.CallId,
        task.CustomerId,
        task.Status.ToString().ToLowerInvariant(),
        task.ClaimedBy,
        task.CreatedTime,
        task.DueTime,
        task.FlowId,
        task.Priority.ToString(),
        task.Reason.ToString(),
        task.Tier,
        task.ClaimedTime,
        task.CompletedTime,
        task.Outcome);
}
