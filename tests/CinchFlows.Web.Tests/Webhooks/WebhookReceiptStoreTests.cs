using CinchFlows.Web.Webhooks;

namespace CinchFlows.Web.Tests.Webhooks;

public sealed class WebhookReceiptStoreTests
{
    [Theory]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJek", "msg_p5jXN8AQM9LWM0D4loKWxJek")]
    [InlineData("a/b", "a~002fb")]
    [InlineData("a\\b#c?d", "a~005cb~0023c~003fd")]
    [InlineData("~", "~007e")]
    [InlineData("100%", "100~0025")]
    public void RowKeyOf_EscapesWhatTableKeysForbid(string id, string expected) =>
        Assert.Equal(expected, TableWebhookReceiptStore.RowKeyOf(id));

    [Fact]
    public void RowKeyOf_DistinctIds_GiveDistinctKeys()
    {
        string[] ids = ["a/b", "a~002fb", "a~b", "a~007eb", "a b", "a+b"];

        Assert.Equal(ids.Length, ids.Select(TableWebhookReceiptStore.RowKeyOf).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids.Select(TableWebhookReceiptStore.RowKeyOf), key => Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)));
    }

    [Fact]
    public void PartitionKeyOf_IsAShortStableHashPrefix()
    {
        var key = TableWebhookReceiptStore.PartitionKeyOf("msg_1");

        Assert.Equal(3, key.Length);
        Assert.Equal(key, TableWebhookReceiptStore.PartitionKeyOf("msg_1"));
        Assert.True(Enumerable.Range(0, 200).Select(i => TableWebhookReceiptStore.PartitionKeyOf("msg_" + i)).Distinct().Count() > 100);
    }

    [Fact]
    public async Task InMemory_FirstReceiptWins()
    {
        var store = new InMemoryWebhookReceiptStore();
        var first = new WebhookReceipt("msg_1", 202, "{\"id\":\"a\"}", "http://x/a", DateTimeOffset.UnixEpoch);

        await store.RecordAsync(first, CancellationToken.None);
        await store.RecordAsync(first with { Body = "{\"id\":\"b\"}" }, CancellationToken.None);

        Assert.Equal(first, await store.FindAsync("msg_1", CancellationToken.None));
        Assert.Null(await store.FindAsync("msg_2", CancellationToken.None));
    }
}
