using System.Security.Claims;
using CinchFlows.Web.Access;
using CinchFlows.Web.Management;

namespace CinchFlows.Web.Actions;

/// <summary>
/// Records an action once it has been answered: who (from the authenticated caller), what, the status answered and the
/// reason code. Recording never fails or changes the answer: a failure is logged (event 2951) and the answer stands.
/// </summary>
internal sealed class ActionRecorder(IActionLog log, TimeProvider time, ILogger<ActionRecorder> logger)
{
    // Set per request by the standalone host (IHttpContextAccessor is registered) and by the Functions app's
    // HttpContextMiddleware, for handlers that take no HttpRequest (terminate, suspend, resume, purge).
    private static readonly HttpContextAccessor CurrentRequest = new();

    /// <summary>
    /// Records <paramref name="action"/> on <paramref name="instanceId"/> for the caller of <paramref name="context"/>
    /// (null: the current request) with <paramref name="answer"/>'s status, and answers <paramref name="answer"/> unchanged.
    /// </summary>
    public static async Task<IResult> AfterAsync(HttpContext? context, string instanceId, string action, IResult answer, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        context ??= CurrentRequest.HttpContext;
        if (context?.RequestServices.GetService<ActionRecorder>() is { } recorder)
        {
            var outcome = answer is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
            await recorder.RecordAsync(context.User, instanceId, action, outcome, reason);
        }

        return answer;
    }

    /// <summary>Records one action; never throws (a failure is logged).</summary>
    public async Task RecordAsync(ClaimsPrincipal user, string instanceId, string action, int outcome, string? reason)
    {
        ArgumentNullException.ThrowIfNull(user);

        // An unknown flow (404) or an id no table could key has nothing to record against: a caller guessing ids adds no rows.
        if (outcome == StatusCodes.Status404NotFound || !InstanceIds.IsValid(instanceId))
        {
            return;
        }

        try
        {
            var entry = new FlowAction(time.GetUtcNow(), action, ByOf(user), RoleOf(user), outcome, reason);

            // The action is done and answered: a client going away must not lose its record.
            await log.RecordAsync(instanceId, entry, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the store throws, the action's answer stands; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.RecordFailed(ex, action, instanceId, outcome);
        }
    }

    /// <summary>What <see cref="FlowAction.By"/> says for a caller that names no person.</summary>
    internal const string NoPerson = "unknown";

    /// <summary>
    /// The person's id. Only people act (the action policies refuse API keys and app-only tokens before any handler), so
    /// <see cref="NoPerson"/> would only show a policy letting a machine through, and is recorded rather than dropped.
    /// </summary>
    internal static string ByOf(ClaimsPrincipal user) => CallerClaims.PersonIdOf(user) ?? NoPerson;

    private static string RoleOf(ClaimsPrincipal user) =>
        string.Join(',', user.FindAll(ClaimTypes.Role).Select(r => r.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
