using CinchFlows.DurableHub;
using CinchFlows.Storage;
using CinchFlows.Web.Tests.Webhooks;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Web.Tests.Hosting;

/// <summary>
/// The backend's partition-ownership lines get their own category (<see cref="BackendLoggerFactory"/>), so the shipped
/// settings log them at Information while its per-message lines stay at Warning.
/// </summary>
public sealed class BackendLoggerFactoryTests
{
    [Fact]
    public void PartitionOwnershipLines_AreWrittenAtInformation_UnderTheirOwnCategory_WhileMessageLinesStayFiltered()
    {
        var recorder = new WebhookLogRecorder();
        using var host = LoggerFactory.Create(logging => logging
            .AddProvider(recorder)
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter(BackendLoggerFactory.BackendCategory, LogLevel.Warning)
            .AddFilter(BackendLoggerFactory.PartitionsCategory, LogLevel.Information));
        var settings = HubBackend.Settings(
            new DurableHubOptions(),
            new StorageAccountOptions { ConnectionString = "UseDevelopmentStorage=true" },
            new StorageRequestCounter(),
            host,
            "worker");

        // The backend creates its logger this way (AzureStorageOrchestrationServiceSettings.Logger).
        var backend = settings.LoggerFactory.CreateLogger("DurableTask.AzureStorage");
        backend.Log(LogLevel.Information, new EventId(120, "PartitionManagerInfo"), "Started listening for messages on queue hub-control-00.");
        backend.Log(LogLevel.Information, new EventId(116, "PendingOrchestratorMessageLimitReached"), "The maximum orchestration message prefetch limit of 64 has been reached");
        backend.Log(LogLevel.Information, new EventId(130, "LeaseStealingSucceeded"), "stole hub-control-01");
        backend.Log(LogLevel.Information, new EventId(101, "ReceivedMessage"), "a message arrived");
        backend.Log(LogLevel.Information, new EventId(124, "LeaseRenewalResult"), "renewed hub-control-00");
        backend.Log(LogLevel.Warning, new EventId(104, "AbandoningMessage"), "Abandoning [TimerFired#3] message");

        Assert.Equal(
            [
                "Information DurableTask.AzureStorage.Partitions 120 Started listening for messages on queue hub-control-00. ",
                "Information DurableTask.AzureStorage.Partitions 116 The maximum orchestration message prefetch limit of 64 has been reached ",
                "Information DurableTask.AzureStorage.Partitions 130 stole hub-control-01 ",
                "Warning DurableTask.AzureStorage 104 Abandoning [TimerFired#3] message ",
            ],
            recorder.Lines);
    }

    [Fact]
    public void OtherCategories_PassThroughUnchanged()
    {
        var recorder = new WebhookLogRecorder();
        using var host = LoggerFactory.Create(logging => logging.AddProvider(recorder).SetMinimumLevel(LogLevel.Information));
        using var factory = new BackendLoggerFactory(host);

        factory.CreateLogger("DurableTask.Core").Log(LogLevel.Information, new EventId(120), "same id, another library");

        Assert.Equal(["Information DurableTask.Core 120 same id, another library "], recorder.Lines);
    }
}
