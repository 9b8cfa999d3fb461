namespace CinchFlows.Flows.SeverityEscalation;

/// <summary>The contractor doing the repair; called only in their local business hours.</summary>
/// <param name="ProviderId">The provider's id.</param>
/// <param name="TimeZone">IANA time zone of the provider, e.g. <c>America/Chicago</c>.</param>
/// <param name="Phone">The number the platform dials.</param>
public sealed record ServiceProviderContact(string ProviderId, string TimeZone, string Phone);
