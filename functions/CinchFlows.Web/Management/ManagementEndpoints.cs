using CinchFlows.Flows;
using System.Text.Json.Nodes;
using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Http;
using Microsoft.DurableTask.Client;

namespace CinchFlows.Web.Management;

/// <summary>The management API (docs/api.md §5): Durable Functions' HTTP API shapes under <c>/api</c>, for the ops role.</summary>
internal static class ManagementEndpoints
{
    /// <summary>Maps the routes on <paramref name="api"/> (the <c>/api</c> group): reads behind "ops" (a person or a key), actions behind "ops-person".</summary>
    public static RouteGroupBuilder MapManagementApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var reads = api.MapGroup(string.Empty).RequireAuthorization(AccessPolicies.Ops);
        reads.MapGet("/instances/{instanceId}", GetStatusAsync);
        reads.MapGet("/instances", ListAsync);

        // Whoever changes a flow is a person: a shared key names nobody.
        var actions = api.MapGroup(string.Empty).RequireAuthorization(AccessPolicies.OpsPerson);
        actions.MapPost("/orchestrators/{name}/{instanceId?}", StartAsync);
        actions.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync);
        actions.MapPost("/instances/{instanceId}/terminate", TerminateAsync);
        actions.MapPost("/instances/{instanceId}/suspend", SuspendAsync);
        actions.MapPost("/instances/{instanceId}/resume", ResumeAsync);
        actions.MapDelete("/instances/{instanceId}", PurgeAsync);
        return api;
    }

    internal static async Task<IResult> StartAsync(
        string name,
        string? instanceId,
        HttpRequest request,
        ManagedInstances instances,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var orchestrator = instances.FindOrchestrator(name);
        if (orchestrator is null)
        {
            return ApiProblems.BadRequest($"No orchestrator named '{name}' is registered.");
        }

        if (instanceId is not null && !InstanceIds.IsValid(instanceId))
        {
            return ApiProblems.BadRequest($"Instance id must be 1-{InstanceIds.MaxLength} characters of letters, digits and '-', '_', '.', ':', '@'.");
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        // Privacy: only the fields of the flow's input record, and no free text (docs/api.md §5).
        if (ManagedInput.CheckStart(orchestrator, body.Value) is { } refusal)
        {
            return ApiProblems.BadRequest(refusal);
        }

        // A caller-given id that exists already is a no-op with the same answer: a retried start never starts twice.
        var started = await instances.StartAsync(orchestrator, body.Value, instanceId ?? Guid.NewGuid().ToString("N"), cancellationToken);
        loggers.CreateLogger(ManagementLog.Category).StartRequested(orchestrator, started.InstanceId, started.Created);
        var payload = ManagementUris.Payload(request, started.InstanceId);
        return await ActionRecorder.AfterAsync(request.HttpContext, started.InstanceId, "start", TypedResults.Accepted(payload.StatusQueryGetUri, payload));
    }

    internal static async Task<IResult> GetStatusAsync(
        string instanceId,
        HttpRequest request,
        HttpResponse response,
        ManagedInstances instances,
        CancellationToken cancellationToken)
    {
        if (!ManagementQuery.TryParseFlag(request.Query, "showHistory", defaultValue: false, out var showHistory, out var error)
            || !ManagementQuery.TryParseFlag(request.Query, "showInput", defaultValue: true, out var showInput, out error))
        {
            return ApiProblems.BadRequest(error!);
        }

        var instance = InstanceIds.IsValid(instanceId) ? await instances.GetAsync(instanceId, cancellationToken) : null;
        if (instance is null)
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        var history = showHistory ? await instances.GetHistoryAsync(instanceId, cancellationToken) : null;
        var statusCode = InstanceStatusJson.StatusCodeFor(instance.RuntimeStatus);
        if (statusCode == StatusCodes.Status202Accepted)
        {
            // As Durable does: while it runs, point the poller back at this URL.
            response.Headers.Location = ManagementUris.Status(request, instanceId);
        }

        return TypedResults.Json(InstanceStatusJson.ToJson(instance, showInput, history), statusCode: statusCode);
    }

    internal static async Task<IResult> ListAsync(
        HttpRequest request,
        HttpResponse response,
        ManagedInstances instances,
        CancellationToken cancellationToken)
    {
        if (!ManagementQuery.TryParseList(request.Query, request.Headers[ManagementQuery.ContinuationTokenHeader], out var list, out var error))
        {
            return ApiProblems.BadRequest(error!);
        }

        IReadOnlyList<OrchestrationMetadata> page;
        string? next;
        try
        {
            (page, next) = await instances.ListAsync(list!, cancellationToken);
        }
        catch (FormatException) when (list!.ContinuationToken is not null)
        {
            return ApiProblems.BadRequest($"The {ManagementQuery.ContinuationTokenHeader} header does not hold a continuation token from this API.");
        }

        if (next is not null)
        {
            response.Headers[ManagementQuery.ContinuationTokenHeader] = next;
        }

        return TypedResults.Json(new JsonArray([.. page.Select(i => (JsonNode)InstanceStatusJson.ToJson(i, list!.ShowInput))]));
    }

    internal static async Task<IResult> RaiseEventAsync(
        string instanceId,
        string eventName,
        HttpRequest request,
        ManagedInstances instances,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(eventName))
        {
            return ApiProblems.BadRequest("The event name must not be empty.");
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        return await ActionRecorder.AfterAsync(request.HttpContext, instanceId, "raise-event:" + eventName, await SendAsync(instanceId, () => instances.RaiseEventAsync(instanceId, eventName, body.Value, cancellationToken), () =>
            loggers.CreateLogger(ManagementLog.Category).EventRaised(eventName, instanceId)));
    }

    internal static Task<IResult> TerminateAsync(string instanceId, string? reason, ManagedInstances instances, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ControlAsync("Terminate", instanceId, reason, code => instances.TerminateAsync(instanceId, code, cancellationToken), loggers);

    internal static Task<IResult> SuspendAsync(string instanceId, string? reason, ManagedInstances instances, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ControlAsync("Suspend", instanceId, reason, code => instances.SuspendAsync(instanceId, code, cancellationToken), loggers);

    internal static Task<IResult> ResumeAsync(string instanceId, string? reason, ManagedInstances instances, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ControlAsync("Resume", instanceId, reason, code => instances.ResumeAsync(instanceId, code, cancellationToken), loggers);

    internal static async Task<IResult> PurgeAsync(string instanceId, ManagedInstances instances, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        int purged;
        try
        {
            purged = InstanceIds.IsValid(instanceId) ? await instances.PurgeAsync(instanceId, cancellationToken) : 0;
        }
        catch (InstanceStillRunningException ex)
        {
            // docs/api.md leaves this case open. Durable Functions would delete a running instance's history and leave its
            // messages to fail; here a purge needs a finished instance, so ops terminate first and nothing half-deleted remains.
            return await ActionRecorder.AfterAsync(null, instanceId, "purge", ApiProblems.InstanceStillRunning(instanceId, ex.Status));
        }

        if (purged == 0)
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        loggers.CreateLogger(ManagementLog.Category).Purged(instanceId);
        return await ActionRecorder.AfterAsync(null, instanceId, "purge", TypedResults.Ok(new JsonObject { ["instancesDeleted"] = purged }));
    }

    // Only a code from ControlReasons reaches the flow's history or the log; free text is refused before anything is read.
    private static async Task<IResult> ControlAsync(string operation, string instanceId, string? reason, Func<string?, Task> send, ILoggerFactory loggers)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        if (!ControlReasons.TryRead(reason, out var code))
        {
            return ApiProblems.BadRequest(ControlReasons.Refusal);
        }

        return await ActionRecorder.AfterAsync(null, instanceId, operation.ToLowerInvariant(), await SendAsync(instanceId, () => send(code), () =>
            loggers.CreateLogger(ManagementLog.Category).ControlRequested(operation, instanceId, code ?? "none")), code);
    }

    private static async Task<IResult> SendAsync(string instanceId, Func<Task> send, Action log)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }

        try
        {
            await send();
        }
        catch (InstanceNotFoundException)
        {
            return ApiProblems.InstanceNotFound(instanceId);
        }
        catch (InstanceFinishedException ex)
        {
            return ApiProblems.InstanceFinished(instanceId, ex.Status);
        }
        catch (FlowInputException ex)
        {
            return ApiProblems.BadRequest(ex.Message);
        }

        log();
        return TypedResults.Accepted((string?)null);
    }
}
