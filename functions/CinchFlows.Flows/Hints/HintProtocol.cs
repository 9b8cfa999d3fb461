namespace CinchFlows.Flows.Hints;

/// <summary>The protocol a live-transcript hint points the agent to (the escalation policy's guidelines).</summary>
public enum HintProtocol
{
    /// <summary>The Medical Emergency Protocols: a medical or high-risk situation, which F1 handles once the agent flags.</summary>
    MedicalEmergency,

    /// <summary>Potential Risk to Customer or Service Professional: threats, harassment, feeling unsafe, police.</summary>
    PotentialRisk,

    /// <summary>Legal: a lawyer, an attorney, a lawsuit.</summary>
    Legal,

    /// <summary>The Cinch Media Policy and Guidelines: a reporter, the news, going to the press.</summary>
    Media,
}
