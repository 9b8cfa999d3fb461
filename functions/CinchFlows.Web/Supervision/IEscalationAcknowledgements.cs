namespace CinchFlows.Web.Supervision;

/// <summary>Who acknowledged each escalation: the first claim wins, atomically, whoever asks at the same moment.</summary>
internal interface IEscalationAcknowledgements
{
    /// <summary>Records <paramref name="by"/> as the one who acknowledged, unless someone already has; returns who holds it now.</summary>
    Task<string> ClaimAsync(string escalationId, string by, CancellationToken cancellationToken);
}
