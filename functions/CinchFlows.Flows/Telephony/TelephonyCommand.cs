using System.Text.Json.Serialization;

namespace CinchFlows.Flows.Telephony;

/// <summary>
/// A command to the telephony platform, serialized as docs/api.md §2 gives it (camelCase, absent fields left out). The
/// idempotency key is stable across retries of the same step; the platform acts once per key.
/// </summary>
public sealed record TelephonyCommand
{
    /// <summary>The <c>type</c> of a warm transfer.</summary>
    public const string WarmTransferType = "transfer.warm";

    /// <summary>The <c>type</c> of an agent prompt.</summary>
    public const string AgentPromptType = "agent.prompt";

    /// <summary>The <c>type</c> of an outbound call to a service provider.</summary>
    public const string ProviderCallType = "provider.call";

    /// <summary>The <c>type</c> of a live-transcript hint to the agent's desktop.</summary>
    public const string AgentHintType = "agent.hint";

    /// <summary>The command's kind: <c>transfer.warm</c>, <c>agent.prompt</c>, <c>agent.hint</c> or <c>provider.call</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The call it acts on (transfer, prompt).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CallId { get; init; }

    /// <summary>Where a warm transfer goes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetExtension { get; init; }

    /// <summary>The agent a prompt is shown to.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AgentId { get; init; }

    /// <summary>The script a prompt shows, e.g. <c>medical-emergency</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Script { get; init; }

    /// <summary>The protocol a hint points to: <c>medical-emergency</c>, <c>potential-risk</c>, <c>legal</c> or <c>media</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Protocol { get; init; }

    /// <summary>What a hint shows the agent: the protocol and the next step (a fixed text per protocol, never what was said).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Hint { get; init; }

    /// <summary>The service job an outbound provider call is about.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServiceJobId { get; init; }

    /// <summary>The provider to call.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProviderId { get; init; }

    /// <summary>The provider's phone number.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phone { get; init; }

    /// <summary>Stable across retries of one step; the platform must not act twice on one key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The handoff note the receiving agent hears or sees with a warm transfer.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

    /// <summary>A warm (consult) transfer of <paramref name="callId"/> to <paramref name="targetExtension"/>.</summary>
    public static TelephonyCommand WarmTransfer(string callId, string targetExtension, string idempotencyKey, string? note) =>
        new() { Type = WarmTransferType, CallId = callId, TargetExtension = targetExtension, IdempotencyKey = idempotencyKey, Note = note };

    /// <summary>Shows <paramref name="script"/> to the agent on <paramref name="callId"/>.</summary>
    public static TelephonyCommand AgentPrompt(string callId, string agentId, string script, string idempotencyKey) =>
        new() { Type = AgentPromptType, CallId = callId, AgentId = agentId, Script = script, IdempotencyKey = idempotencyKey };

    /// <summary>Hints <paramref name="agentId"/> on <paramref name="callId"/> to follow <paramref name="protocol"/>.</summary>
    public static TelephonyCommand AgentHint(string callId, string agentId, string protocol, string hint, string idempotencyKey) =>
        new() { Type = AgentHintType, CallId = callId, AgentId = agentId, Protocol = protocol, Hint = hint, IdempotencyKey = idempotencyKey };

    /// <summary>An outbound call to a service provider about <paramref name="serviceJobId"/>.</summary>
    public static TelephonyCommand ProviderCall(string serviceJobId, string providerId, string phone, string idempotencyKey) =>
        new() { Type = ProviderCallType, ServiceJobId = serviceJobId, ProviderId = providerId, Phone = phone, IdempotencyKey = idempotencyKey };
}
