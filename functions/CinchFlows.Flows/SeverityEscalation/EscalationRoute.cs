namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>Where an escalation goes, by the Escalation Policy's guidelines.</summary>
public enum EscalationRoute
{
    /// <summary>Complaints: failure to act, coverage decisions, delays, untimely responses, communication, staff behavior.</summary>
    CustomerServiceEscalations,

    /// <summary>Medical or high-risk: severity Medical Emergency, managed by a Claims Specialist.</summary>
    ClaimsSpecialist,

    /// <summary>Risk to the customer, the service professional or Cinch: the Potential Risk team.</summary>
    PotentialRisk,

    /// <summary>Media contact: the media policy owners.</summary>
    MediaPolicy,

    /// <summary>An attorney on the customer's behalf: given the legal contact address.</summary>
    Legal,
}
