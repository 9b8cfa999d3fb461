using System.Reflection;
using CinchFlows.Flows;
using CinchFlows.Functions.Tests.Support;
using Microsoft.DurableTask;

namespace CinchFlows.Functions.Tests.Metadata;

/// <summary>
/// One surface in two hosts: the <c>functions.metadata</c> the Functions SDK generated against the standalone host's
/// endpoints, background services and Durable Task registry. A route, method or trigger in one and not the other fails.
/// </summary>
public sealed class SurfaceParityTests
{
    // Each non-HTTP trigger of the Functions app and the standalone host's background service that does its work.
    private static readonly Dictionary<string, string> TriggerCounterparts = new(StringComparer.Ordinal)
    {
        ["queueTrigger %CallbackRequests:QueueName%"] = "CallbackRequestListener",
        ["timerTrigger RetentionSweep"] = "RetentionWorker",
        ["timerTrigger StuckFlowCheck"] = "StuckFlowWorker",
    };

    // The standalone host's background services that are not triggers: its engine, start-up checks and web server.
    private static readonly string[] NotTriggers = ["AccessStartupCheck", "WebhookStartupCheck", "DurableHubServer", "GrpcDurableTaskWorker", "GenericWebHostService"];

    [Fact]
    public async Task Every_http_route_and_method_exists_in_both_hosts()
    {
        var functions = FunctionsMetadata.HttpRoutes(FunctionsMetadata.Load());
        var standalone = await StandaloneSurface.RoutesAsync();

        Assert.Empty(Differences(functions.Keys, standalone.Keys));
        Assert.Equal(25, functions.Count); // 21 + GET /api/me and GET /api/ops/flows/{instanceId}/actions (issue 20) + GET /api/ops/flows/{instanceId}/story and GET /api/escalations (issue 21)
    }

    [Fact]
    public void The_comparison_names_a_route_that_exists_in_one_host_only()
    {
        var differences = Differences(["GET /api/health", "POST /api/extra"], ["GET /api/health", "DELETE /api/health"]);

        Assert.Equal(["only in the Functions app: POST /api/extra", "only in the standalone host: DELETE /api/health"], differences);
    }

    [Fact]
    public void Every_http_trigger_is_anonymous_to_the_functions_host()
    {
        // The X-Api-Key role check runs in the app (RoleGuard), in both hosts; a function key would lock the ops page out.
        var triggers = FunctionsMetadata.Triggers(FunctionsMetadata.Load()).Where(t => t.Value["type"]!.GetValue<string>() == "httpTrigger").ToList();

        Assert.NotEmpty(triggers);
        Assert.All(triggers, t => Assert.Equal("Anonymous", t.Value["authLevel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_queue_and_timer_trigger_has_its_standalone_background_service_and_back()
    {
        var triggers = FunctionsMetadata.Triggers(FunctionsMetadata.Load())
            .Select(t => t.Value["type"]!.GetValue<string>() switch
            {
                "queueTrigger" => "queueTrigger " + t.Value["queueName"]!.GetValue<string>(),
                "timerTrigger" => "timerTrigger " + t.Key,
                var type => type,
            })
            .Where(t => t is not ("httpTrigger" or "orchestrationTrigger" or "activityTrigger"))
            .ToList();
        var services = await StandaloneSurface.HostedServicesAsync();

        Assert.Equal(TriggerCounterparts.Keys.Order(StringComparer.Ordinal), triggers.Order(StringComparer.Ordinal));
        Assert.All(TriggerCounterparts.Values, service => Assert.Contains(service, services));

        // A new background service of the standalone host is either a trigger's counterpart or named as none.
        Assert.Equal([], services.Except(TriggerCounterparts.Values).Except(NotTriggers).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_orchestrator_and_activity_the_standalone_worker_runs_is_a_function_and_back()
    {
        var triggers = FunctionsMetadata.Triggers(FunctionsMetadata.Load());
        var registry = new DurableTaskRegistry().AddCallCenterFlows();

        Assert.Equal(Registered(registry, "Orchestrators"), Named(triggers, "orchestrationTrigger"));
        Assert.Equal(Registered(registry, "Activities"), Named(triggers, "activityTrigger"));
    }

    private static List<string> Differences(IEnumerable<string> functions, IEnumerable<string> standalone)
    {
        var f = functions.ToHashSet(StringComparer.Ordinal);
        var s = standalone.ToHashSet(StringComparer.Ordinal);
        return
        [
            .. f.Except(s).Order(StringComparer.Ordinal).Select(r => "only in the Functions app: " + r),
            .. s.Except(f).Order(StringComparer.Ordinal).Select(r => "only in the standalone host: " + r),
        ];
    }

    private static List<string> Named(IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject> triggers, string type) =>
        [.. triggers.Where(t => t.Value["type"]!.GetValue<string>() == type).Select(t => t.Key).Order(StringComparer.Ordinal)];

    // The registry lists its factories in internal properties (pairs of TaskName and factory); read their names.
    private static List<string> Registered(DurableTaskRegistry registry, string kind)
    {
        var all = typeof(DurableTaskRegistry).GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        var property = all.Single(p => p.Name == kind);
        var names = ((System.Collections.IEnumerable)property.GetValue(registry)!).Cast<object>()
            .Select(entry => entry.GetType().GetProperty("Key")!.GetValue(entry)!.ToString()!);
        return [.. names.Order(StringComparer.Ordinal)];
    }
}
