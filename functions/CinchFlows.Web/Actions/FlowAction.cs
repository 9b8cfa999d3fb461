namespace CinchFlows.Web.Actions;

/// <summary>One action a caller took on a flow: when, what, who (and in which role), the HTTP status answered, and the control reason code.</summary>
/// <param name="Time">When the action was answered.</param>
/// <param name="Action">claim, complete, acknowledge, start, raise-event:{name}, terminate, suspend, resume, purge or repair.</param>
/// <param name="By">The person's id from the token (only people act; <c>unknown</c> if a caller named no person).</param>
/// <param name="Role">The caller's roles, comma-separated (ops, supervisor).</param>
/// <param name="Outcome">The HTTP status the action was answered with.</param>
/// <param name="Reason">The reason code of a terminate, suspend or resume (never free text), else null.</param>
internal sealed record FlowAction(DateTimeOffset Time, string Action, string By, string Role, int Outcome, string? Reason);
