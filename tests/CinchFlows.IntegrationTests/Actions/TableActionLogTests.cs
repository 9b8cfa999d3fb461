using Azure.Data.Tables;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.Storage;
using CinchFlows.Web.Actions;
using Microsoft.Extensions.Configuration;

namespace CinchFlows.IntegrationTests.Actions;

/// <summary>The action log on Azurite: the keys are asserted here, since Azurite accepts keys real Azure would refuse.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableActionLogTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Rows_are_partitioned_by_instance_id_keyed_by_time_and_listed_oldest_first()
    {
        var hub = azurite.NewTaskHub();
        var account = new StorageAccountOptions();
        account.ReadConfiguration(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", azurite.ConnectionString)]).Build());
        using var log = new TableActionLog(new AppStorage(account, new StorageRequestCounter(), hub));
        var at = new DateTimeOffset(2026, 12, 6, 2, 13, 0, TimeSpan.Zero);

        // Recorded out of order, two in the same tick: neither collides, and the list is by time.
        await log.RecordAsync("flow-1", new FlowAction(at.AddSeconds(5), "terminate", "olga@contoso.test", "ops", 202, "test-call"), default);
        await log.RecordAsync("flow-1", new FlowAction(at, "claim", "alice@contoso.test", "supervisor", 200, null), default);
        await log.RecordAsync("flow-1", new FlowAction(at, "claim", "bob@contoso.test", "supervisor", 409, null), default);
        await log.RecordAsync("flow-2", new FlowAction(at, "start", "olga@contoso.test", "ops", 202, null), default);

        var rows = new TableClient(azurite.ConnectionString, hub + "Actions").Query<TableEntity>().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(3, rows.Count(r => r.PartitionKey == "flow-1"));
        Assert.Equal("flow-2", Assert.Single(rows, r => r.GetString("Action") == "start").PartitionKey);
        Assert.Equal(4, rows.Select(r => r.RowKey).Distinct(StringComparer.Ordinal).Count());
        Assert.All(rows, r => Assert.Matches("^[0-9]{19}-[0-9a-f]{8}$", r.RowKey));
        Assert.All(rows, r => Assert.StartsWith(r.GetDateTimeOffset("Time")!.Value.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), r.RowKey, StringComparison.Ordinal));

        var listed = await log.ListAsync("flow-1", 100, default);
        Assert.Equal(3, listed.Count);
        Assert.Equal("terminate", listed[2].Action);
        Assert.Equal("test-call", listed[2].Reason);
        Assert.Equal(202, listed[2].Outcome);
        Assert.Equal(["alice@contoso.test", "bob@contoso.test"], listed.Take(2).Select(a => a.By).Order(StringComparer.Ordinal));
    }
}
