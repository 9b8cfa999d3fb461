using Azure.Data.Tables;
using CinchFlows.IntegrationTests.Engine;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.Storage;
using CinchFlows.Web.Actions;
using CinchFlows.Web.Management;
using CinchFlows.Web.Retention;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.IntegrationTests.Retention;

/// <summary>The retention sweep on the app's tables in Azurite: old webhook receipts, completed callback tasks, hint rows and gone flows' action-log rows go; open work stays.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionTablesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Rows_older_than_MaxAge_are_deleted_except_callback_tasks_still_open()
    {
        var hub = azurite.NewTaskHub();
        var receipts = await TableAsync(hub + "WebhookReceipts");
        var callbacks = await TableAsync(hub + "Callbacks");
        var hints = await TableAsync(hub + "Hints");
        var actions = await TableAsync(hub + "Actions");
        await receipts.AddEntityAsync(new TableEntity("p", "receipt-1"));
        await callbacks.AddEntityAsync(new TableEntity("callback-done", "task") { ["Status"] = "Completed" });
        await callbacks.AddEntityAsync(new TableEntity("callback-open", "task") { ["Status"] = "Open" });
        await callbacks.AddEntityAsync(new TableEntity("callback-breached", "task") { ["Status"] = "Breached" });
        await hints.AddEntityAsync(new TableEntity("call-1", "medical-emergency"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await actions.AddEntityAsync(new TableEntity("flow-1", TableActionLog.RowKeyFor(clock.GetUtcNow())) { ["Action"] = "terminate" });

        // Written just now: nothing is older than 30 days yet.
        var first = await SweepAsync(hub, clock);
        Assert.Equal(new RetentionReport(first!.Cutoff, 0, 0, 0, 0, 0), first);

        // 31 days on, the same rows are past the cutoff (and flow-1 does not exist: its action row goes too).
        clock.Advance(TimeSpan.FromDays(31));
        var second = await SweepAsync(hub, clock);

        Assert.Equal(new RetentionReport(second!.Cutoff, 0, 1, 1, 1, 1), second);
        Assert.Empty(receipts.Query<TableEntity>());
        Assert.Empty(hints.Query<TableEntity>());
        Assert.Empty(actions.Query<TableEntity>());
        Assert.Equal(["callback-breached", "callback-open"], callbacks.Query<TableEntity>().Select(e => e.PartitionKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Action_rows_stay_while_their_flow_exists_and_go_once_it_is_purged_and_they_are_older_than_MaxAge()
    {
        var hub = azurite.NewTaskHub();
        await using var engine = await HubHost.StartAsync(azurite.ConnectionString, hub);
        await engine.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "in", new StartOrchestrationOptions("open-flow"));
        await engine.Client.ScheduleNewOrchestrationInstanceAsync("OneActivity", "in", new StartOrchestrationOptions("done-flow"));
        await engine.Client.ScheduleNewOrchestrationInstanceAsync("OneActivity", "in", new StartOrchestrationOptions("purged-by-hand"));
        await engine.WaitForAsync("open-flow", i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, TimeSpan.FromSeconds(60));
        await engine.WaitForAsync("done-flow", i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed, TimeSpan.FromSeconds(60));
        await engine.WaitForAsync("purged-by-hand", i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed, TimeSpan.FromSeconds(60));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var log = new TableActionLog(Storage(hub));
        string[] flows = ["open-flow", "done-flow", "purged-by-hand"];
        foreach (var id in flows)
        {
            await log.RecordAsync(id, new FlowAction(clock.GetUtcNow(), "claim", "alice@contoso.test", "supervisor", 200, null), default);
        }

        // Purged by hand: the trail stays, with who purged it.
        Assert.Equal(1, await Instances(engine.Client).PurgeAsync("purged-by-hand", default));
        await log.RecordAsync("purged-by-hand", new FlowAction(clock.GetUtcNow(), "purge", "olga@contoso.test", "ops", 200, null), default);
        var first = await SweepAsync(hub, clock, engine.Client);
        Assert.Equal(0, first!.Actions);
        Assert.Equal(2, (await log.ListAsync("purged-by-hand", 100, default)).Count);

        // 31 days on: the open flow is older than MaxAge and keeps its rows; the finished one is purged by the sweep and
        // loses them with the hand-purged one's.
        clock.Advance(TimeSpan.FromDays(31));
        var second = await SweepAsync(hub, clock, engine.Client);

        Assert.Equal(1, second!.Flows);
        Assert.Null(await engine.Client.GetInstanceAsync("done-flow"));
        Assert.Equal(3, second.Actions);
        Assert.Equal("alice@contoso.test", Assert.Single(await log.ListAsync("open-flow", 100, default)).By);
        Assert.Empty(await log.ListAsync("done-flow", 100, default));
        Assert.Empty(await log.ListAsync("purged-by-hand", 100, default));
    }

    private async Task<TableClient> TableAsync(string name)
    {
        var table = new TableClient(azurite.ConnectionString, name);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static ManagedInstances Instances(DurableTaskClient client) =>
        new(client, Mock.Of<CinchFlows.Flows.Starts.IStartClaims>(), Mock.Of<IInstanceHistory>(), new OrchestratorCatalog(_ => { }));

    private AppStorage Storage(string hub)
    {
        var account = new StorageAccountOptions();
        account.ReadConfiguration(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", azurite.ConnectionString)]).Build());
        return new AppStorage(account, new StorageRequestCounter(), hub);
    }

    private Task<RetentionReport?> SweepAsync(string hub, TimeProvider clock, DurableTaskClient? engine = null)
    {
        // Without an engine, no flows in this hub: the flow purge is covered against a mock client in the unit tests.
        var client = engine ?? EmptyHub();
        var sweeper = new RetentionSweeper(
            client,
            Instances(client),
            Options.Create(new RetentionOptions { MaxAge = TimeSpan.FromDays(30) }),
            clock,
            NullLogger<RetentionSweeper>.Instance,
            Storage(hub));
        return sweeper.SweepAsync(CancellationToken.None);
    }

    private static DurableTaskClient EmptyHub()
    {
        var client = new Mock<DurableTaskClient>("test");
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns(Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>([]))));
        return client.Object;
    }
}
