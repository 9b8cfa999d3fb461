namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>Who contacted us about an escalation (wire values are camelCase: <c>serviceProfessional</c>).</summary>
public enum ContactRole
{
    /// <summary>The customer.</summary>
    Customer,

    /// <summary>The service professional doing the repair.</summary>
    ServiceProfessional,

    /// <summary>An attorney on the customer's behalf.</summary>
    Attorney,

    /// <summary>A reporter or other media representative.</summary>
    Media,
}
