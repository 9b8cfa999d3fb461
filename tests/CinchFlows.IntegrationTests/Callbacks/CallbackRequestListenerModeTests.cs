using CinchFlows.Standalone;
using CinchFlows.Web;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Callbacks;

/// <summary>The listener runs only on Azure Storage: the in-memory mode has no queues and says so.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallbackRequestListenerModeTests(AzuriteFixture azurite)
{
    private const int ListenerOff = 2501;
    private const int Listening = 2502;

    [Fact]
    public async Task In_memory_mode_logs_that_the_listener_is_off()
    {
        var logs = await RunAsync(new() { ["Durable:Store"] = "InMemory" }, ListenerOff);

        Assert.DoesNotContain(logs, line => line.EventId == Listening);
    }

    [Fact]
    public async Task Azure_Storage_mode_listens_on_the_configured_queue()
    {
        var hub = azurite.NewTaskHub();
        var logs = await RunAsync(
            new()
            {
                ["Durable:Store"] = "AzureStorage",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Durable:TaskHubName"] = hub,
                ["CallbackRequests:QueueName"] = "cbm-" + hub,
            },
            Listening);

        Assert.Contains(logs, line => line.EventId == Listening && line.Message.Contains("cbm-" + hub + "-poison", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<LogLine>> RunAsync(Dictionary<string, string?> settings, int awaitedEvent)
    {
        var recorder = new LogRecorder();
        settings["Urls"] = "http://127.0.0.1:0";
        var app = CinchFlowsApp.Build([], configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(recorder);
        });
        await app.StartAsync();
        try
        {
            await Eventually.WaitUntilAsync(() => Task.FromResult(recorder.Lines.Any(line => line.EventId == awaitedEvent)), TimeSpan.FromSeconds(30), $"log event {awaitedEvent}");
            return [.. recorder.Lines];
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
