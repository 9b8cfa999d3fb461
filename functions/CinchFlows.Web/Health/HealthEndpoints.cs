using CinchFlows.Storage;
using CinchFlows.Web.Access;
using CinchFlows.Web.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Health;

/// <summary>
/// Liveness and readiness (docs/api.md §6). <c>GET /api/health/live</c> answers 200 while the process serves HTTP and
/// touches nothing else. <c>GET /api/health/ready</c>, and <c>GET /api/health</c> as before, answer 200 when the engine
/// has started and storage answers, 503 with the reason otherwise. Storage counts as answering when it answered any of
/// this process's requests within <see cref="HealthOptions.RecentAnswer"/> (no probe is sent then, so a busy process
/// costs nothing extra and is never taken out of rotation for being slow), or when a probe answers within
/// <see cref="HealthOptions.StorageTimeout"/>; once storage has failed every request for
/// <see cref="HealthOptions.FailAfter"/>, only a probe's answer makes the process ready again. The answer is anonymous,
/// so it shows only the status and a plain reason; a key that passes <see cref="AccessPolicies.Ops"/> also gets the
/// counters and the storage error.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Adds <see cref="HealthOptions"/>.</summary>
    public static IServiceCollection AddHealthCheck(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>Maps the anonymous health routes on <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapHealth(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/health", CheckAsync).AllowAnonymous();
        api.MapGet("/health/ready", CheckAsync).AllowAnonymous();
        api.MapGet("/health/live", Live).AllowAnonymous();
        return api;
    }

    /// <summary>Liveness: the process answers. Never touches storage or the engine.</summary>
    internal static IResult Live() => TypedResults.Ok(new { status = "Alive" });

    /// <summary>Readiness.</summary>
    internal static async Task<IResult> CheckAsync(
        HttpContext context,
        IAuthorizationPolicyProvider policies,
        IPolicyEvaluator evaluator,
        IEngineHealth engine,
        StorageRequestCounter requests,
        TimeProvider timeProvider,
        IOptions<HealthOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var detailed = await ShowsDetailAsync(context, policies, evaluator);
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        string reason;
        Exception? failure = null;
        var failing = requests.Failing is { } streak && now - streak.Since >= settings.FailAfter ? streak : ((DateTimeOffset Since, string Reason)?)null;
        if (!engine.Ready)
        {
            reason = "The Durable Task engine has not started.";
        }
        else if (failing is null && requests.LastAnswered is { } answered && now - answered <= settings.RecentAnswer)
        {
            return Healthy(detailed, engine, requests, "recent-answer", (now - answered).TotalMilliseconds);
        }
        else
        {
            // Idle (nothing answered lately) or failing for a while: ask storage now; its answer ends a failing streak.
            var started = timeProvider.GetTimestamp();
            try
            {
                using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeoutSource.CancelAfter(settings.StorageTimeout);

                // WaitAsync bounds the answer even if the store does not honour the token (a retrying client can take long).
                await engine.CheckStorageAsync(timeoutSource.Token).WaitAsync(settings.StorageTimeout, timeProvider, cancellationToken);
                return Healthy(detailed, engine, requests, "probe", timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                reason = $"Storage did not answer within {settings.StorageTimeout.TotalSeconds:0.#} s.";
            }
#pragma warning disable CA1031 // Any failure of the store is the answer here: not ready, with its reason.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
                reason = $"Storage is not reachable: {FirstLine(ex.Message)}";
            }

            if (failing is { } down)
            {
                reason = $"Storage has answered none of this process's requests for {(now - down.Since).TotalSeconds:0.#} s ({FirstLine(down.Reason)}). {reason}";
            }
        }

        loggers.CreateLogger(HealthLog.Category).Unhealthy(reason, failure);

        // Storage errors can name the account and its URLs: only ops keys see them (the log always has them).
        return ApiProblems.Unavailable(detailed ? reason : engine.Ready ? "Storage is not answering." : "The engine has not started.");
    }

    // The ops policy evaluated in code, as RoleGuard does: the route stays anonymous, so no key (or a wrong one) is no error here.
    private static async Task<bool> ShowsDetailAsync(HttpContext context, IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = await policies.GetPolicyAsync(AccessPolicies.Ops) ?? throw new InvalidOperationException($"No authorization policy named '{AccessPolicies.Ops}'.");
        var authenticated = await evaluator.AuthenticateAsync(policy, context);
        var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, resource: null);
        return authorized.Succeeded;
    }

    private static IResult Healthy(bool detailed, IEngineHealth engine, StorageRequestCounter requests, string check, double milliseconds) =>
        !detailed ? TypedResults.Ok(new { status = "Healthy" }) : TypedResults.Ok(new HealthReport(
            "Healthy",
            check,
            Math.Round(milliseconds, 1),
            engine.Store,
            requests.Total,
            engine.Steps,
            engine.Activities,
            engine.EmptyPolls,
            requests.ByComponent));

    // Storage clients put request and response dumps after the first line; keep only the gist, even for ops.
    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        return line.Length > 300 ? string.Concat(line[..300], "…") : line.ToString();
    }
}
