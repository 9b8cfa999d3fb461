using System.Text.Json.Nodes;
using CinchFlows.DurableHub;
using CinchFlows.Flows.Versioning;
using CinchFlows.Web.Callbacks;

namespace CinchFlows.Functions.Tests.Hosting;

/// <summary>host.json and local.settings.sample.json of the Functions app: an isolated-worker app with the standalone host's engine settings.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonObject HostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!.AsObject();

    [Fact]
    public void It_is_an_isolated_worker_app_with_the_api_route_prefix_and_no_custom_handler()
    {
        Assert.Equal("2.0", HostJson["version"]!.GetValue<string>());
        Assert.False(HostJson.ContainsKey("customHandler"));
        Assert.False(HostJson.ContainsKey("extensionBundle"));
        Assert.Equal("api", HostJson["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.NotNull(HostJson["logging"]!["logLevel"]!["default"]);
    }

    [Fact]
    public void The_durable_extension_runs_the_standalone_hosts_engine_settings()
    {
        var defaults = new DurableHubOptions();
        var durable = HostJson["extensions"]!["durableTask"]!;
        var storage = durable["storageProvider"]!;

        Assert.Equal("%Durable:TaskHubName%", durable["hubName"]!.GetValue<string>());
        Assert.Equal("AzureStorage", storage["type"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", storage["connectionName"]!.GetValue<string>());
        Assert.Equal(defaults.PartitionCount, storage["partitionCount"]!.GetValue<int>());
        Assert.Equal(defaults.MaxQueuePollingInterval, TimeSpan.Parse(storage["maxQueuePollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.MessageVisibilityTimeout, TimeSpan.Parse(storage["controlQueueVisibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.MessageVisibilityTimeout, TimeSpan.Parse(storage["workItemQueueVisibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.MaxConcurrentActivities, durable["maxConcurrentActivityFunctions"]!.GetValue<int>());
        Assert.Equal(defaults.MaxConcurrentOrchestrations, durable["maxConcurrentOrchestratorFunctions"]!.GetValue<int>());
    }

    [Fact]
    public void Flows_start_on_the_newest_version_this_build_knows_and_no_worker_runs_a_newer_one()
    {
        // The Durable extension reads these (an app setting AzureFunctionsJobHost__extensions__durableTask__defaultVersion
        // overrides the first): what Durable:Version and the worker's versioning options are in the standalone host.
        var durable = HostJson["extensions"]!["durableTask"]!;

        Assert.Equal(FlowVersions.Latest, durable["defaultVersion"]!.GetValue<string>());
        Assert.Equal("CurrentOrOlder", durable["versionMatchStrategy"]!.GetValue<string>());
        Assert.Equal("Reject", durable["versionFailureStrategy"]!.GetValue<string>());
    }

    [Fact]
    public void The_queue_trigger_retries_as_the_standalone_listener_does_and_reads_the_message_as_stored()
    {
        var defaults = new CallbackRequestOptions();
        var queues = HostJson["extensions"]!["queues"]!;

        // "none": the handler decodes Base64 or takes plain JSON itself, as under the standalone listener.
        Assert.Equal("none", queues["messageEncoding"]!.GetValue<string>());
        Assert.Equal(defaults.MaxDequeueCount, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal(defaults.RetryDelay, TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.MaxPollingInterval, TimeSpan.Parse(queues["maxPollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.BatchSize, queues["batchSize"]!.GetValue<int>());
    }

    [Fact]
    public void The_sample_local_settings_run_the_isolated_worker_with_every_setting_the_triggers_resolve()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "functions", "CinchFlows.Functions", "local.settings.sample.json")))!["Values"]!.AsObject();

        Assert.Equal("dotnet-isolated", sample["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", sample["AzureWebJobsStorage"]!.GetValue<string>());

        // %Durable:TaskHubName% (host.json) and %CallbackRequests:QueueName% (the queue trigger) must resolve.
        Assert.Equal("cinchflows", sample["Durable__TaskHubName"]!.GetValue<string>());
        Assert.Equal("callback-requests", sample["CallbackRequests__QueueName"]!.GetValue<string>());
        Assert.All(["Access__Keys__0__key", "Telephony__WebhookSecrets__0", "Telephony__CommandsUrl", "Telephony__CommandSecret", "Notifications__Transport", "Retention__MaxAge"], key => Assert.True(sample.ContainsKey(key), key));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CinchFlows.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("CinchFlows.sln not found.");
    }
}
