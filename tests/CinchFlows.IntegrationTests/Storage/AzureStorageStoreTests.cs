using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CinchFlows.Durable;
using CinchFlows.Durable.History;
using CinchFlows.Durable.Hosting;
using CinchFlows.Durable.Storage;
using CinchFlows.Durable.Storage.Azure;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CinchFlows.IntegrationTests.Storage;

/// <summary>The store contract, and what only the Azure Storage store has, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageStoreTests(AzuriteFixture azurite) : OrchestrationStoreContract
{
    private readonly string taskHub = azurite.NewTaskHub();
    private AzureStorageOrchestrationStore? store;

    /// <inheritdoc/>
    protected override TimeProvider Time => TimeProvider.System;

    private AzureStorageOrchestrationStore AzureStore => store ?? (AzureStorageOrchestrationStore)Store;

    private TableClient RawTable => new(azurite.ConnectionString, AzureStore.TableName);

    private QueueClient RawWorkQueue => new(azurite.ConnectionString, AzureStore.WorkQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    [Fact]
    public async Task CommitAsync_ChunkRowWrittenBehindTheStoresBack_FailsTheWholeTransaction()
    {
        var created = await CreateAsync("atomic-raw");
        await RawTable.AddEntityAsync(new TableEntity("atomic-raw", "h-00000001") { ["Data"] = "[]" });
        var next = NewRecord("atomic-raw") with { HistoryChunks = 2, HistoryEventCount = 2, RuntimeStatus = OrchestrationRuntimeStatus.Completed };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitAsync(new InstanceCommit(next, [Scheduled(1, "X")], created), default));

        Assert.Contains("out of sequence", error.Message, StringComparison.Ordinal);

        var row = (await RawTable.GetEntityAsync<TableEntity>("atomic-raw", "state")).Value;
        Assert.Equal(created, row.ETag.ToString());
        Assert.Equal("Running", row.GetString("RuntimeStatus"));
        Assert.Equal(1, row.GetInt32("HistoryChunks"));
    }

    [Fact]
    public async Task CommitAsync_ReturnsTheETagTheRowNowHas()
    {
        var created = await CreateAsync("etag");
        var stepped = await StepAsync("etag", created, [Scheduled(1, "X")]);

        var row = (await RawTable.GetEntityAsync<TableEntity>("etag", "state")).Value;

        Assert.Equal(row.ETag.ToString(), stepped);
        Assert.NotEqual(created, stepped);
    }

    [Fact]
    public async Task CommitAsync_WritesFilterableColumns()
    {
        var created = Now.AddMinutes(-5);
        await CreateAsync("columns", OrchestrationRuntimeStatus.Completed, input: "\"in\"", created: created, configure: r => r with
        {
            Outbox = [Work("m-1", "columns"), Work("m-2", "columns")],
            NextTimerAt = created.AddMinutes(1),
            ParentInstanceId = "parent",
        });

        var row = (await RawTable.GetEntityAsync<TableEntity>("columns", "state")).Value;

        Assert.Equal("WarmTransfer", row.GetString("Name"));
        Assert.Equal("Completed", row.GetString("RuntimeStatus"));
        Assert.True(row.GetBoolean("IsTerminal"));
        Assert.Equal(2, row.GetInt32("OutboxCount"));
        Assert.Equal(1, row.GetInt32("HistoryChunks"));
        Assert.Equal(1, row.GetInt32("HistoryEventCount"));
        Assert.Equal(created, row.GetDateTimeOffset("CreatedTime"));
        Assert.Equal(created.AddMinutes(1), row.GetDateTimeOffset("NextTimerAt"));
        Assert.Equal("parent", row.GetString("ParentInstanceId"));
        Assert.Equal("\"in\"", row.GetString("Input"));
        var chunk = (await RawTable.GetEntityAsync<TableEntity>("columns", "h-00000000")).Value;
        Assert.Contains("\"$type\":\"executionStarted\"", chunk.GetString("Data"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_200KbInput_IsSplitOverNumberedColumnsUnderTheServiceLimit()
    {
        var input = LargeJsonString(200_000);
        await CreateAsync("split", input: input);

        var row = (await RawTable.GetEntityAsync<TableEntity>("split", "state")).Value;
        var parts = row.Keys.Where(k => k == "Input" || k.StartsWith("Input_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        Assert.True(parts.Count >= 7, $"Only {parts.Count} parts.");
        Assert.All(parts, p => Assert.InRange(row.GetString(p).Length, 1, 32 * 1024));
        Assert.Equal(input, string.Concat(Enumerable.Range(0, parts.Count).Select(i => row.GetString(i == 0 ? "Input" : $"Input_{i}"))));
    }

    [Fact]
    public async Task CommitAsync_StepLargerThan900KiB_ThrowsAndWritesNothing()
    {
        var record = NewRecord("huge", input: LargeJsonString(500_000)) with { HistoryChunks = 1, HistoryEventCount = 1 };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitAsync(new InstanceCommit(record, [Started()], null), default));

        Assert.Contains("KiB", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetRecordAsync("huge", default));
    }

    [Fact]
    public async Task CommitAsync_TimeWithSubMillisecondTicks_RoundTripsExactly()
    {
        var precise = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        await CreateAsync("ticks", created: precise);

        var loaded = await LoadExistingAsync("ticks");

        Assert.Equal(precise, loaded.Record.CreatedTime);
        Assert.Single((await Store.QueryAsync(new InstanceQuery { CreatedFrom = precise, CreatedTo = precise }, null, default)).Instances);
    }

    [Fact]
    public async Task LoadAsync_HistoryOverOneThousandRows_FollowsEveryPageInOrder()
    {
        var etag = await CreateAsync("long");
        const int rawChunks = 1004;
        foreach (var batch in Enumerable.Range(1, rawChunks).Chunk(100))
        {
            await RawTable.SubmitTransactionAsync(batch.Select(i => new TableTransactionAction(
                TableTransactionActionType.Add,
                new TableEntity("long", $"h-{i:D8}") { ["Data"] = $"[{{\"$type\":\"taskScheduled\",\"taskId\":{i},\"name\":\"A{i}\"}}]" })));
        }

        var current = (await Store.GetRecordAsync("long", default))!;
        await Store.CommitAsync(new InstanceCommit(current with { HistoryChunks = rawChunks + 2, HistoryEventCount = rawChunks + 2 }, [Scheduled(9999, "Last")], etag), default);
        var before = Metrics.StorageRequests;

        var loaded = await LoadExistingAsync("long");

        Assert.Equal(2, Metrics.StorageRequests - before);
        Assert.Equal(rawChunks + 2, loaded.History.Count);
        Assert.Equal(["ExecutionStartedEvent", .. Enumerable.Range(1, rawChunks).Select(i => $"TaskScheduledEvent:A{i}"), "TaskScheduledEvent:Last"], Describe(loaded.History));
    }

    [Fact]
    public async Task PurgeAsync_InstanceWithMoreThan100Rows_DeletesEverything()
    {
        var etag = await CreateAsync("many");
        for (var i = 1; i <= 120; i++)
        {
            etag = await StepAsync("many", etag, [Scheduled(i, $"A{i}")]);
        }

        Assert.Equal(1, await Store.PurgeAsync("many", default));

        Assert.Empty(await RawTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"many"}")).ToListAsync());
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_FromAnotherProcess_IsOneRequestGuardedByTheETag()
    {
        var etag = await CreateAsync("other", configure: r => r with { Outbox = [Work("m-1", "other"), Work("m-2", "other")] });
        var record = (await Store.GetRecordAsync("other", default))!;
        var metrics = new DurableMetrics();
        var other = azurite.CreateStore(taskHub, metrics: metrics);
        await other.InitializeAsync(default);
        var before = metrics.StorageRequests;

        var newETag = await other.RemoveFromOutboxAsync(record, etag, ["m-2"], default);

        Assert.NotNull(newETag);
        Assert.Equal(1, metrics.StorageRequests - before);
        Assert.Equal(["m-1"], (await Store.GetRecordAsync("other", default))!.Outbox.Select(m => m.Id));
        Assert.Null(await other.RemoveFromOutboxAsync(record, etag, ["m-1"], default));
    }

    [Fact]
    public async Task SendAsync_BodyOver64KiBInBase64_ThrowsPayloadTooLarge()
    {
        var message = new WorkMessage("big", WorkMessageKind.Orchestration, "call-1", new EventRaisedEvent("Big", LargeJsonString(50_000)));

        var error = await Assert.ThrowsAsync<PayloadTooLargeException>(() => Store.SendAsync(message, default));

        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await WorkQueueLengthAsync());
    }

    [Fact]
    public async Task SendAsync_UsesBase64Bodies_AsTheFunctionsQueueTriggerExpects()
    {
        await Store.SendAsync(Work("b64", "call-1"), default);

        var plain = new QueueClient(azurite.ConnectionString, AzureStore.WorkQueueName);
        var raw = Assert.Single((await plain.PeekMessagesAsync()).Value).Body.ToString();

        Assert.Contains("\"id\":\"b64\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(raw)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_BodyThatIsNotBase64_IsStillReceivedWithAReadError()
    {
        await new QueueClient(azurite.ConnectionString, AzureStore.WorkQueueName).SendMessageAsync("plain text, not base64!");

        var received = Assert.Single(await Store.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));

        Assert.Null(received.Message);
        Assert.NotNull(received.ReadError);
        await Store.MoveToPoisonAsync(received, received.ReadError, default);
        Assert.Equal(0, await WorkQueueLengthAsync());
    }

    [Fact]
    public async Task MoveToPoisonAsync_BodyNearTheSizeLimit_KeepsTheReasonAndCutsTheBody()
    {
        var body = new string('x', 49_140);
        await SendRawAsync(body);
        var received = Assert.Single(await Store.ReceiveAsync(1, TimeSpan.FromMinutes(1), default));

        await Store.MoveToPoisonAsync(received, "Too big to keep whole", default);

        var poisoned = Assert.Single(await Store.PeekPoisonAsync(32, default));
        Assert.Equal("Too big to keep whole", poisoned.Reason);
        Assert.EndsWith("[truncated]", poisoned.Body, StringComparison.Ordinal);
        Assert.StartsWith(new string('x', 40_000), poisoned.Body, StringComparison.Ordinal);
        Assert.Equal(0, await WorkQueueLengthAsync());
    }

    [Fact]
    public async Task PeekPoisonAsync_MessageMovedThereByTheFunctionsHost_ShowsItsBodyAndIds()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(Work("host-1", "call-3"), DurableJson.Options);
        await new QueueClient(azurite.ConnectionString, AzureStore.PoisonQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })
            .SendMessageAsync(body);

        var poisoned = Assert.Single(await Store.PeekPoisonAsync(32, default));

        Assert.Equal("host-1", poisoned.MessageId);
        Assert.Equal("call-3", poisoned.InstanceId);
        Assert.Equal(body, poisoned.Body);
        Assert.Contains("Functions host", poisoned.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_AgainstAzurite_Succeeds()
    {
        var before = Metrics.StorageRequests;

        await Store.CheckHealthAsync(default);

        Assert.Equal(1, Metrics.StorageRequests - before);
    }

    [Fact]
    public async Task CheckHealthAsync_TableNeverCreated_SaysWhatIsMissing()
    {
        var fresh = azurite.CreateStore(azurite.NewTaskHub());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fresh.CheckHealthAsync(default));

        Assert.Contains(fresh.TableName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_ClosedPort_ThrowsWithinFiveSeconds()
    {
        var port = ClosedPort();
        var options = new AzureStorageStoreOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.DevelopmentAccountKey};" +
                $"QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        };
        var unreachable = new AzureStorageOrchestrationStore(
            Options.Create(options), Options.Create(new DurableTaskOptions()), TimeProvider.System, new DurableMetrics(), NullLogger<AzureStorageOrchestrationStore>.Instance);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => unreachable.CheckHealthAsync(default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Took {clock.Elapsed}.");
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseAzureStorage_ConnectionStringInConfiguration_RegistersAWorkingStore()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Durable:TaskHubName"] = taskHub,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddDurableTask(_ => { }).UseAzureStorage();
        await using var provider = services.BuildServiceProvider();

        var resolved = provider.GetRequiredService<IOrchestrationStore>();
        await CreateAsync("via-di");

        Assert.IsType<AzureStorageOrchestrationStore>(resolved);
        Assert.Same(provider.GetRequiredService<AzureStorageOrchestrationStore>(), resolved);
        Assert.NotNull(await resolved.GetRecordAsync("via-di", default));
    }

    [Fact]
    public void ReadConfiguration_IdentitySection_UsesAccountEndpointsAndClientId()
    {
        var options = new AzureStorageStoreOptions();
        options.ReadConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "cinchprod",
            ["AzureWebJobsStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
        }).Build());

        var identityStore = new AzureStorageOrchestrationStore(
            Options.Create(options), Options.Create(new DurableTaskOptions()), TimeProvider.System, new DurableMetrics(), NullLogger<AzureStorageOrchestrationStore>.Instance);

        Assert.True(options.UsesIdentity);
        Assert.Equal("11111111-2222-3333-4444-555555555555", options.ClientId);
        Assert.Equal(new Uri("https://cinchprod.table.core.windows.net/cinchflowsInstances"), identityStore.TableUri);
        Assert.Equal(new Uri("https://cinchprod.queue.core.windows.net/cinchflows-work"), identityStore.WorkQueueUri);
    }

    [Fact]
    public void ReadConfiguration_ServiceUris_WinOverTheAccountName()
    {
        var options = new AzureStorageStoreOptions();
        options.ReadConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "ignored",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://tables.example/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://queues.example/",
        }).Build());

        var identityStore = new AzureStorageOrchestrationStore(
            Options.Create(options), Options.Create(new DurableTaskOptions { TaskHubName = "hub1" }), TimeProvider.System, new DurableMetrics(), NullLogger<AzureStorageOrchestrationStore>.Instance);

        Assert.Equal(new Uri("https://tables.example/hub1Instances"), identityStore.TableUri);
        Assert.Equal(new Uri("https://queues.example/hub1-work"), identityStore.WorkQueueUri);
    }

    [Fact]
    public void ReadConfiguration_PlainValue_IsAConnectionString()
    {
        var options = new AzureStorageStoreOptions();
        options.ReadConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1",
        }).Build());

        Assert.False(options.UsesIdentity);
        Assert.Equal("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1", options.ConnectionString);
    }

    /// <inheritdoc/>
    protected override IOrchestrationStore CreateStore(DurableMetrics metrics) => store = azurite.CreateStore(taskHub, metrics: metrics);

    /// <inheritdoc/>
    protected override Task LetTimePassAsync(TimeSpan step) => Task.Delay(step);

    /// <inheritdoc/>
    protected override async Task SendRawAsync(string body) => await RawWorkQueue.SendMessageAsync(body);

    /// <inheritdoc/>
    protected override async Task<int> WorkQueueLengthAsync() => (await RawWorkQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
