using Azure.Data.Tables;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.Storage;
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

/// <summary>The retention sweep on the app's tables in Azurite: old webhook receipts, completed callback tasks, hint rows and action-log rows go; open work stays.</summary>
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
        await actions.AddEntityAsync(new TableEntity("flow-1", "0638000000000000000-0a1b2c3d") { ["Action"] = "terminate" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        // Written just now: nothing is older than 30 days yet.
        var first = await SweepAsync(hub, clock);
        Assert.Equal(new RetentionReport(first!.Cutoff, 0, 0, 0, 0, 0), first);

        // 31 days on, the same rows are past the cutoff.
        clock.Advance(TimeSpan.FromDays(31));
        var second = await SweepAsync(hub, clock);

        Assert.Equal(new RetentionReport(second!.Cutoff, 0, 1, 1, 1, 1), second);
        Assert.Empty(receipts.Query<TableEntity>());
        Assert.Empty(hints.Query<TableEntity>());
        Assert.Empty(actions.Query<TableEntity>());
        Assert.Equal(["callback-breached", "callback-open"], callbacks.Query<TableEntity>().Select(e => e.PartitionKey).Order(StringComparer.Ordinal));
    }

    private async Task<TableClient> TableAsync(string name)
    {
        var table = new TableClient(azurite.ConnectionString, name);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private Task<RetentionReport?> SweepAsync(string hub, TimeProvider clock)
    {
        var account = new StorageAccountOptions();
        account.ReadConfiguration(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", azurite.ConnectionString)]).Build());
        var storage = new AppStorage(account, new StorageRequestCounter(), hub);

        // No flows in this hub: the flow purge is covered against a mock client in the unit tests.
        var client = new Mock<DurableTaskClient>("test");
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns(Pageable.Create<OrchestrationMetadata>((_, _) => Task.FromResult(new Page<OrchestrationMetadata>([]))));
        var sweeper = new RetentionSweeper(
            client.Object,
            new ManagedInstances(client.Object, Mock.Of<CinchFlows.Flows.Starts.IStartClaims>(), Mock.Of<IInstanceHistory>(), new OrchestratorCatalog(_ => { })),
            Options.Create(new RetentionOptions { MaxAge = TimeSpan.FromDays(30) }),
            clock,
            NullLogger<RetentionSweeper>.Instance,
            storage);
        return sweeper.SweepAsync(CancellationToken.None);
    }
}
