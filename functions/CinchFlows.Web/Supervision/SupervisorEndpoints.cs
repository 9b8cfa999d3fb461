using System.Text.Json;
using System.Text.RegularExpressions;
using CinchFlows.Flows;
using CinchFlows.Flows.Callbacks;
using CinchFlows.Flows.SeverityEscalation;
using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Supervision;

/// <summary>The supervisor and escalation API (docs/api.md §4): callbacks to claim and complete, escalations to acknowledge.</summary>
internal static partial class SupervisorEndpoints
{
    /// <summary>The most tasks or escalations one list answers with.</summary>
    private const int MaxTop = 1000;

    /// <summary>Maps the routes on <paramref name="api"/> (the <c>/api</c> group): the list behind "supervisor", the actions behind "supervisor-person" (ops may too).</summary>
    public static RouteGroupBuilder MapSupervisorApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/callbacks", ListCallbacksAsync).RequireAuthorization(AccessPolicies.Supervisor);
        api.MapGet("/escalations", ListEscalationsAsync).RequireAuthorization(AccessPolicies.Supervisor);
        var actions = api.MapGroup(string.Empty).RequireAuthorization(AccessPolicies.SupervisorPerson);
        actions.MapPost("/callbacks/{callbackId}/claim", ClaimAsync);
        actions.MapPost("/callbacks/{callbackId}/complete", CompleteAsync);
        actions.MapPost("/escalations/{escalationId}/acknowledge", AcknowledgeAsync);
        return api;
    }

    internal static async Task<IResult> ListCallbacksAsync(HttpRequest request, CallbackTaskClient callbacks, CancellationToken cancellationToken)
    {
        CallbackStatus? status = null;
        if (request.Query["status"] is { Count: > 0 } given)
        {
            if (given.Count > 1 || !Enum.TryParse<CallbackStatus>(given[0], ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(given[0]![0]))
            {
                return ApiProblems.BadRequest("'status' must be one of open, claimed, completed, breached.");
            }

            status = parsed;
        }

        var top = 100;
        if (request.Query["top"] is { Count: > 0 } topValue && (!int.TryParse(topValue[0], out top) || top < 1 || top > MaxTop))
        {
            return ApiProblems.BadRequest($"'top' must be a whole number from 1 to {MaxTop}.");
        }

        var tasks = await callbacks.ListAsync(status, top, cancellationToken);
        return TypedResults.Ok(tasks.Select(CallbackTaskJson.From));
    }

    internal static async Task<IResult> ClaimAsync(string callbackId, HttpRequest request, CallbackTaskClient callbacks, CancellationToken cancellationToken)
    {
        // A callback's id is its flow's instance id; anything else never reaches storage (a table key refuses / \ # ?).
        if (!InstanceIds.IsValid(callbackId))
        {
            return ApiProblems.CallbackNotFound(callbackId);
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        if (!PersonActor.TryResolve(request.HttpContext, body.Value, "supervisorId", out var supervisorId, out var problem))
        {
            return problem!;
        }

        var claimed = await callbacks.ClaimAsync(callbackId, supervisorId, cancellationToken);
        return await ActionRecorder.AfterAsync(request.HttpContext, claimed.Task?.FlowId ?? callbackId, "claim", Answer(callbackId, claimed));
    }

    internal static async Task<IResult> CompleteAsync(string callbackId, HttpRequest request, CallbackTaskClient callbacks, CancellationToken cancellationToken)
    {
        // A callback's id is its flow's instance id; anything else never reaches storage (a table key refuses / \ # ?).
        if (!InstanceIds.IsValid(callbackId))
        {
            return ApiProblems.CallbackNotFound(callbackId);
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        if (!PersonActor.TryResolve(request.HttpContext, body.Value, "supervisorId", out var supervisorId, out var problem))
        {
            return problem!;
        }

        string? outcome = null;
        if (body.Value is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("outcome", out var outcomeElement) && outcomeElement.ValueKind != JsonValueKind.Null)
        {
            // A short code, not free text: a sentence could carry medical details, and nothing stored may.
            if (outcomeElement.ValueKind != JsonValueKind.String || !OutcomeCode().IsMatch(outcomeElement.GetString()!))
            {
                return ApiProblems.BadRequest("'outcome' must be a short code of lowercase letters, digits and '-' (at most 40), such as 'resolved' or 'left-voicemail'.");
            }

            outcome = outcomeElement.GetString();
        }

        var completed = await callbacks.CompleteAsync(callbackId, supervisorId, outcome, cancellationToken);
        return await ActionRecorder.AfterAsync(request.HttpContext, completed.Task?.FlowId ?? callbackId, "complete", Answer(callbackId, completed));
    }

    internal static async Task<IResult> AcknowledgeAsync(
        string escalationId,
        HttpRequest request,
        DurableTaskClient durable,
        IEscalationAcknowledgements acknowledgements,
        CallCenterFlowClient flows,
        CancellationToken cancellationToken)
    {
        // The F2 instance id: up to 200 characters (two business keys and a prefix), not a business key's 80.
        if (!InstanceIds.IsValid(escalationId))
        {
            return ApiProblems.EscalationNotFound(escalationId);
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        if (!PersonActor.TryResolve(request.HttpContext, body.Value, "by", out var by, out var problem))
        {
            return problem!;
        }

        var escalation = await durable.GetInstanceAsync(escalationId, getInputsAndOutputs: true, cancellationToken);
        if (escalation is null || escalation.Name != FlowNames.SeverityEscalation)
        {
            return ApiProblems.EscalationNotFound(escalationId);
        }

        if (escalation.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            // Not claimed for anyone yet: the flow could not take the acknowledgement, and a claim now would turn
            // everyone else away while the winner's own request is answered 503.
            throw new FlowStartingException($"Escalation '{escalationId}' has not started yet; acknowledge again shortly.");
        }

        if (!FlowStatuses.IsFinished(escalation.RuntimeStatus))
        {
            // Exactly one person acknowledges: the row's insert decides, even for requests at the same moment. The
            // winner's event reaches the flow; the same person asking again sends it again (the flow takes the first).
            var holder = await acknowledgements.ClaimAsync(escalationId, by, cancellationToken);
            if (holder != by)
            {
                return await ActionRecorder.AfterAsync(request.HttpContext, escalationId, "acknowledge", TypedResults.Problem($"Escalation '{escalationId}' is already acknowledged by {holder}.", statusCode: StatusCodes.Status409Conflict, title: "Escalation closed"));
            }

            await flows.AcknowledgeEscalationAsync(escalationId, by, cancellationToken);
            return await ActionRecorder.AfterAsync(request.HttpContext, escalationId, "acknowledge", TypedResults.Ok(new { escalationId, acknowledgedBy = by, runtimeStatus = escalation.RuntimeStatus.ToString() }));
        }

        // Ended already: the same person acknowledging again is answered as before; anyone else learns it is closed.
        var output = escalation.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? escalation.ReadOutputAs<SeverityEscalationOutput>() : null;
        return await ActionRecorder.AfterAsync(request.HttpContext, escalationId, "acknowledge", output?.AcknowledgedBy == by
            ? TypedResults.Ok(new { escalationId, acknowledgedBy = by, runtimeStatus = escalation.RuntimeStatus.ToString() })
            : TypedResults.Problem(
                $"Escalation '{escalationId}' is {escalation.RuntimeStatus}{(output?.AcknowledgedBy is { } other ? $", acknowledged by {other}" : ", unacknowledged")}.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Escalation closed"));
    }

    private static IResult Answer(string callbackId, CallbackChangeResult result) => result.Outcome switch
    {
        CallbackChangeOutcome.NotFound => ApiProblems.CallbackNotFound(callbackId),
        CallbackChangeOutcome.Conflict => TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status409Conflict, title: "Callback held by someone else"),
        _ => TypedResults.Ok(CallbackTaskJson.From(result.Task!)),
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex OutcomeCode();
}
