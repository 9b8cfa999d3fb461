namespace CinchFlows.Web.Webhooks;

/// <summary>A verified, parsed telephony event: its CloudEvents id and type, and the typed data record from <c>CinchFlows.Flows.Events</c>.</summary>
/// <param name="Id">The CloudEvents <c>id</c>.</param>
/// <param name="Type">The CloudEvents <c>type</c>, one of <see cref="TelephonyEventTypes"/>.</param>
/// <param name="Data">The typed data: only the known fields, so nothing else is forwarded or stored.</param>
internal sealed record TelephonyEvent(string Id, string Type, object Data);
