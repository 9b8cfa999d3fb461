using System.IO.Compression;
using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Functions.Tests.Support;

namespace CinchFlows.Functions.Tests.Publishing;

/// <summary>
/// <c>./scripts/publish.sh</c> produces a zip a Functions host loads (the host itself is not served here, so its parts
/// are checked): every function in functions.metadata, the Durable and queue extensions in extensions.json with their
/// assemblies, worker.config.json naming the worker, and the app's host.json.
/// </summary>
public sealed class PublishTests(PublishedApp published) : IClassFixture<PublishedApp>
{
    [Fact]
    public void The_zip_declares_every_orchestrator_activity_http_queue_and_timer_function()
    {
        using var zip = ZipFile.OpenRead(published.ZipFile);
        var metadata = Read(zip, "functions.metadata").AsArray();
        var triggers = FunctionsMetadata.Triggers(metadata);
        string[] Of(string type) => [.. triggers.Where(t => t.Value["type"]!.GetValue<string>() == type).Select(t => t.Key).Order(StringComparer.Ordinal)];

        Assert.Equal([FlowNames.MedicalEmergencyTransfer, FlowNames.SeverityEscalation, FlowNames.SupervisorCallback], Of("orchestrationTrigger"));
        Assert.Equal(8, Of("activityTrigger").Length);
        Assert.Equal(25, Of("httpTrigger").Length); // GET /api/ops/flows/{id}/story and GET /api/escalations (issue 21) made it 25
        Assert.Equal(["CallbackRequests"], Of("queueTrigger"));
        Assert.Equal(["RetentionSweep", "StuckFlowCheck"], Of("timerTrigger"));

        // The same functions as the build the other tests check against the standalone host.
        Assert.Equal(FunctionsMetadata.Triggers(FunctionsMetadata.Load()).Keys.Order(StringComparer.Ordinal), triggers.Keys.Order(StringComparer.Ordinal));
        Assert.All(metadata, f => Assert.Contains(f!["scriptFile"]!.GetValue<string>(), Entries(zip)));
    }

    [Fact]
    public void The_zip_carries_the_durable_and_queue_extensions_the_worker_config_and_host_json()
    {
        using var zip = ZipFile.OpenRead(published.ZipFile);
        var entries = Entries(zip);

        var extensions = Read(zip, "extensions.json")["extensions"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var durable = Assert.Single(extensions, e => e["name"]!.GetValue<string>() == "DurableTask");
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.DurableTaskWebJobsStartup", durable["typeName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(extensions, e => e["name"]!.GetValue<string>() == "AzureStorageQueues");
        Assert.All(extensions, e => Assert.Contains(e["hintPath"]!.GetValue<string>().Replace("./", string.Empty, StringComparison.Ordinal), entries));

        var worker = Read(zip, "worker.config.json")["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.Equal("CinchFlows.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
        Assert.Contains("CinchFlows.Functions.dll", entries);

        var hostJson = Read(zip, "host.json");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Path.Combine(PublishedApp.RepositoryRoot(), "functions", "CinchFlows.Functions", "host.json"))), hostJson));
        Assert.False(hostJson.AsObject().ContainsKey("customHandler"));

        // Nothing local ships: no local settings, no development settings.
        Assert.DoesNotContain("local.settings.json", entries);
        Assert.DoesNotContain("appsettings.Development.json", entries);
    }

    private static HashSet<string> Entries(ZipArchive zip) => zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

    private static JsonNode Read(ZipArchive zip, string name)
    {
        using var stream = (zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the zip")).Open();
        return JsonNode.Parse(stream)!;
    }
}
