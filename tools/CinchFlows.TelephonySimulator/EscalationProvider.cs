namespace CinchFlows.TelephonySimulator;

/// <summary>The service provider named in an escalation (the <c>provider</c> object of docs/api.md §1).</summary>
/// <param name="ProviderId">The provider's id.</param>
/// <param name="TimeZone">The provider's IANA time zone, e.g. <c>America/Chicago</c>.</param>
/// <param name="Phone">The number an outbound call goes to.</param>
public sealed record EscalationProvider(string ProviderId, string TimeZone, string Phone);
