namespace CinchFlows.TelephonySimulator;

/// <summary>One well-signed command delivery as the simulated platform received it (docs/api.md §2).</summary>
public sealed record ReceivedCommand
{
    /// <summary>Position among all well-signed deliveries, from 1.</summary>
    public required int Sequence { get; init; }

    /// <summary>The command's <c>type</c>: <c>transfer.warm</c>, <c>agent.prompt</c>, <c>agent.hint</c>, <c>provider.call</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The <c>idempotencyKey</c>.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The <c>callId</c>, if any.</summary>
    public string? CallId { get; init; }

    /// <summary>The <c>targetExtension</c> of a warm transfer, if any.</summary>
    public string? TargetExtension { get; init; }

    /// <summary>The handoff <c>note</c> of a warm transfer, if any.</summary>
    public string? Note { get; init; }

    /// <summary>The <c>agentId</c> of an agent prompt, if any.</summary>
    public string? AgentId { get; init; }

    /// <summary>The <c>script</c> of an agent prompt, if any.</summary>
    public string? Script { get; init; }

    /// <summary>The <c>protocol</c> of an agent hint, if any: <c>medical-emergency</c>, <c>potential-risk</c>, <c>legal</c>, <c>media</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary>The <c>hint</c> text of an agent hint (the protocol's next step), if any.</summary>
    public string? Hint { get; init; }

    /// <summary>The <c>serviceJobId</c> of a provider call, if any.</summary>
    public string? ServiceJobId { get; init; }

    /// <summary>The <c>providerId</c> of a provider call, if any.</summary>
    public string? ProviderId { get; init; }

    /// <summary>The <c>phone</c> of a provider call, if any.</summary>
    public string? Phone { get; init; }

    /// <summary>The body exactly as received.</summary>
    public required string RawJson { get; init; }

    /// <summary>The <c>webhook-id</c> header.</summary>
    public required string WebhookId { get; init; }

    /// <summary>When it arrived, on the receiver's clock.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>What the receiver did with it.</summary>
    public required DeliveryOutcome Outcome { get; init; }
}
