namespace CinchFlows.Web.Supervision;

/// <summary>Which escalations <c>GET /api/escalations</c> lists.</summary>
internal enum EscalationListStatus
{
    /// <summary>Not finished and nobody has acknowledged it: waiting for someone, nearest deadline first.</summary>
    Open,

    /// <summary>Someone acknowledged it (the flow may still run, for a provider call), newest first.</summary>
    Acknowledged,

    /// <summary>Finished without anyone acknowledging it: every tier and ops missed it, or it was terminated or failed; newest first.</summary>
    Closed,
}
