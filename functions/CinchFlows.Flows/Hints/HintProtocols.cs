namespace CinchFlows.Flows.Hints;

/// <summary>The wire name and the agent's next step for each <see cref="HintProtocol"/> (docs/api.md §2, <c>agent.hint</c>).</summary>
public static class HintProtocols
{
    /// <summary>Every protocol, in the order hints are considered.</summary>
    public static IReadOnlyList<HintProtocol> All { get; } = [HintProtocol.MedicalEmergency, HintProtocol.PotentialRisk, HintProtocol.Legal, HintProtocol.Media];

    /// <summary>The protocol's name on the wire and in table keys: <c>medical-emergency</c>, <c>potential-risk</c>, <c>legal</c>, <c>media</c>.</summary>
    public static string WireName(this HintProtocol protocol) => protocol switch
    {
        HintProtocol.MedicalEmergency => "medical-emergency",
        HintProtocol.PotentialRisk => "potential-risk",
        HintProtocol.Legal => "legal",
        HintProtocol.Media => "media",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
    };

    /// <summary>The protocol named <paramref name="wireName"/> (its wire name or its enum name, any case), or null.</summary>
    public static HintProtocol? Parse(string? wireName) =>
        All.Cast<HintProtocol?>().FirstOrDefault(p =>
            string.Equals(p!.Value.WireName(), wireName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.Value.ToString(), wireName, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the agent's desktop shows: the protocol and the next step, from the escalation policy's guidelines.</summary>
    public static string NextStep(this HintProtocol protocol) => protocol switch
    {
        HintProtocol.MedicalEmergency => "Possible Medical Emergency or High-Risk Situation: follow the Medical Emergency Protocol and flag the call.",
        HintProtocol.PotentialRisk => "Possible risk to the customer or a Service Professional (threats, harassment, feeling unsafe, police): follow the Potential Risk to Customer or Service Professional article.",
        HintProtocol.Legal => "Possible legal matter (attorney, lawsuit): follow the Escalation Policy; an attorney calling for the customer gets the legal email address, never the customer.",
        HintProtocol.Media => "Possible media contact (reporter, press, news): follow the Cinch Media Policy and Guidelines.",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
    };

    /// <summary>The idempotency key of the one hint for <paramref name="callId"/> and <paramref name="protocol"/>: <c>hint:{callId}:{protocol}</c>.</summary>
    public static string IdempotencyKey(string callId, HintProtocol protocol) => "hint:" + callId + ":" + protocol.WireName();
}
