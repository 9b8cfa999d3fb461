using CinchFlows.Web.Http;
using CinchFlows.Storage;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Health;

/// <summary><c>GET /api/health</c> (docs/api.md §6): 200 when storage answers in time, 503 with the reason otherwise.</summary>
internal static class HealthEndpoints
{
    /// <summary>Adds <see cref="HealthOptions"/>.</summary>
    public static IServiceCollection AddHealthCheck(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>Maps the anonymous health route on <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapHealth(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/health", CheckAsync).AllowAnonymous();
        return api;
    }

    internal static async Task<IResult> CheckAsync(
        IEngineHealth engine,
        StorageRequestCounter requests,
        TimeProvider timeProvider,
        IOptions<HealthOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var timeout = options.Value.StorageTimeout;
        var started = timeProvider.GetTimestamp();
        string reason;
        Exception? failure = null;
        try
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);

            // WaitAsync bounds the answer even if the store does not honour the token (a retrying client can take long).
            await engine.CheckStorageAsync(timeoutSource.Token).WaitAsync(timeout, timeProvider, cancellationToken);
            var elapsed = timeProvider.GetElapsedTime(started);
            if (!engine.Ready)
            {
                reason = "The Durable Task engine has not started.";
            }
            else
            {
                return TypedResults.Ok(new HealthReport(
                    "Healthy",
                    Math.Round(elapsed.TotalMilliseconds, 1),
                    engine.Store,
                    requests.Total,
                    engine.Steps,
                    engine.Activities,
                    engine.EmptyPolls,
                    requests.ByComponent));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            reason = $"Storage did not answer within {timeout.TotalSeconds:0.#} s.";
        }
#pragma warning disable CA1031 // Any failure of the store is the answer here: unhealthy, with its reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
            reason = $"Storage is not reachable: {FirstLine(ex.Message)}";
        }

        loggers.CreateLogger(HealthLog.Category).Unhealthy(reason, failure);
        return ApiProblems.Unavailable(reason);
    }

    // Storage clients put request and response dumps after the first line; the health answer is anonymous, so keep only the gist.
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
