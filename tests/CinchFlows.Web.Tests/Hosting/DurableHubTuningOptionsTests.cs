using CinchFlows.DurableHub;
using CinchFlows.Standalone;
using CinchFlows.Storage;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Tests.Hosting;

/// <summary>The engine's tuning settings (<c>Durable:*</c>): what reaches the Azure Storage backend, and what stops the host at start.</summary>
public sealed class DurableHubTuningOptionsTests
{
    [Fact]
    public void Defaults_PollEvery5Seconds_AndLeaveTheBackendsOwnBatchBufferAndSessions()
    {
        var backendDefaults = new AzureStorageOrchestrationServiceSettings();

        var settings = Settings(new DurableHubOptions());

        Assert.Equal(TimeSpan.FromSeconds(5), settings.MaxQueuePollingInterval);
        Assert.Equal(32, settings.ControlQueueBatchSize);
        Assert.Equal(backendDefaults.ControlQueueBatchSize, settings.ControlQueueBatchSize);
        Assert.Equal(64, settings.ControlQueueBufferThreshold);
        Assert.Equal(backendDefaults.ControlQueueBufferThreshold, settings.ControlQueueBufferThreshold);
        Assert.False(settings.ExtendedSessionsEnabled);
        Assert.Equal(TimeSpan.FromSeconds(2), backendDefaults.PartitionTableOperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.PartitionTableOperationTimeout);
    }

    [Fact]
    public void SetValues_ReachTheBackendsSettings()
    {
        var settings = Settings(new DurableHubOptions
        {
            MaxQueuePollingInterval = TimeSpan.FromSeconds(2),
            ControlQueueBatchSize = 8,
            ControlQueueBufferThreshold = 20,
            ExtendedSessions = true,
            PartitionTableOperationTimeout = TimeSpan.FromSeconds(4),
        });

        Assert.Equal(TimeSpan.FromSeconds(4), settings.PartitionTableOperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.MaxQueuePollingInterval);
        Assert.Equal(8, settings.ControlQueueBatchSize);
        Assert.Equal(20, settings.ControlQueueBufferThreshold);
        Assert.True(settings.ExtendedSessionsEnabled);
    }

    [Fact]
    public void TheInMemoryStore_RunsAsManyStepsAndActivitiesAtOnce_AsConfigured()
    {
        // Its own limit is the processor count, and the hub's dispatcher, once that many are running, looks again only
        // every 500 ms: a backlog ran at about 4 steps a second on 2 cores with the machine idle.
        using var backend = HubBackend.Create(
            new DurableHubOptions { Store = DurableStoreKind.InMemory, MaxConcurrentOrchestrations = 40, MaxConcurrentActivities = 12 },
            new StorageAccountOptions { ConnectionString = "UseDevelopmentStorage=true" },
            new StorageRequestCounter(),
            new EngineCounters(),
            NullLoggerFactory.Instance);

        Assert.Equal(40, backend.Service.MaxConcurrentTaskOrchestrationWorkItems);
        Assert.Equal(12, backend.Service.MaxConcurrentTaskActivityWorkItems);
    }

    [Fact]
    public async Task ConfiguredTuning_IsBoundFromTheDurableSection()
    {
        await using var app = Build(new()
        {
            ["Durable:ControlQueueBatchSize"] = "16",
            ["Durable:ControlQueueBufferThreshold"] = "128",
            ["Durable:ExtendedSessions"] = "true",
        });

        var options = app.Services.GetRequiredService<IOptions<DurableHubOptions>>().Value;
        Assert.Equal((16, 128, true), (options.ControlQueueBatchSize, options.ControlQueueBufferThreshold, options.ExtendedSessions));
    }

    [Theory]
    [InlineData("Durable:ControlQueueBatchSize", "0", nameof(DurableHubOptions.ControlQueueBatchSize))]
    [InlineData("Durable:ControlQueueBatchSize", "33", nameof(DurableHubOptions.ControlQueueBatchSize))]
    [InlineData("Durable:ControlQueueBufferThreshold", "0", nameof(DurableHubOptions.ControlQueueBufferThreshold))]
    [InlineData("Durable:ControlQueueBufferThreshold", "1001", nameof(DurableHubOptions.ControlQueueBufferThreshold))]
    [InlineData("Durable:MaxQueuePollingInterval", "00:00:00", nameof(DurableHubOptions.MaxQueuePollingInterval))]
    [InlineData("Durable:PartitionTableOperationTimeout", "00:00:00.500", nameof(DurableHubOptions.PartitionTableOperationTimeout))]
    [InlineData("Durable:PartitionTableOperationTimeout", "00:00:21", nameof(DurableHubOptions.PartitionTableOperationTimeout))]
    public async Task AValueOutOfRange_StopsTheHostAtStart_NamingTheSetting(string key, string value, string setting)
    {
        await using var app = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Durable:ControlQueueBatchSize", "1")]
    [InlineData("Durable:ControlQueueBatchSize", "32")]
    [InlineData("Durable:ControlQueueBufferThreshold", "1")]
    [InlineData("Durable:ControlQueueBufferThreshold", "1000")]
    [InlineData("Durable:PartitionTableOperationTimeout", "00:00:01")]
    [InlineData("Durable:PartitionTableOperationTimeout", "00:00:20")]
    public async Task TheRangesEnds_AreAllowed(string key, string value)
    {
        await using var app = Build(new() { [key] = value });

        _ = app.Services.GetRequiredService<IOptions<DurableHubOptions>>().Value;
    }

    private static AzureStorageOrchestrationServiceSettings Settings(DurableHubOptions options) => HubBackend.Settings(
        options,
        new StorageAccountOptions { ConnectionString = "UseDevelopmentStorage=true" },
        new StorageRequestCounter(),
        NullLoggerFactory.Instance,
        "worker");

    private static Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?> durable)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Durable:Store"] = "InMemory",
            ["Access:Keys:0:key"] = Support.TestKeys.Ops,
            ["Access:Keys:0:role"] = "ops",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in durable)
        {
            settings[key] = value;
        }

        return CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(settings));
    }
}
