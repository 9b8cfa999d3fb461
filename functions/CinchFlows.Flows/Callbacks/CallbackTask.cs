using CinchFlows.Flows.SupervisorCallback;

namespace CinchFlows.Flows.Callbacks;

/// <summary>
/// A Call Back Task: someone higher up owes the customer a call (the record kept in Zoho CRM or ServiceBench today).
/// Its id is the id of the F3 flow that owns it.
/// </summary>
public sealed record CallbackTask
{
    /// <summary>The task's id, which is also its flow's instance id.</summary>
    public required string CallbackId { get; init; }

    /// <summary>The call it came from, if any.</summary>
    public string? CallId { get; init; }

    /// <summary>The customer to call back.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Where it stands.</summary>
    public required CallbackStatus Status { get; init; }

    /// <summary>The supervisor who claimed it.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>When it was opened.</summary>
    public required DateTimeOffset CreatedTime { get; init; }

    /// <summary>When the current wait ends: the claim deadline of the current tier, or the completion deadline once claimed.</summary>
    public required DateTimeOffset DueTime { get; init; }

    /// <summary>The F3 flow that owns it.</summary>
    public required string FlowId { get; init; }

    /// <summary>How urgent it is.</summary>
    public CallbackPriority Priority { get; init; }

    /// <summary>Why it exists.</summary>
    public CallbackReason Reason { get; init; }

    /// <summary>The tier told most recently, e.g. <c>supervisor</c>.</summary>
    public string? Tier { get; init; }

    /// <summary>When it was claimed.</summary>
    public DateTimeOffset? ClaimedTime { get; init; }

    /// <summary>When it was completed.</summary>
    public DateTimeOffset? CompletedTime { get; init; }

    /// <summary>What the supervisor recorded on completion (a short code such as <c>resolved</c>; never medical details).</summary>
    public string? Outcome { get; init; }
}
