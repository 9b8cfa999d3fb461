using CinchFlows.Functions.Hosting;

namespace CinchFlows.Functions.Tests.Hosting;

public sealed class DurableStoreKindTests
{
    [Theory]
    [InlineData(null, nameof(DurableStoreKind.AzureStorage))]
    [InlineData("", nameof(DurableStoreKind.AzureStorage))]
    [InlineData("AzureStorage", nameof(DurableStoreKind.AzureStorage))]
    [InlineData("inmemory", nameof(DurableStoreKind.InMemory))]
    [InlineData(" InMemory ", nameof(DurableStoreKind.InMemory))]
    public void ParseStoreKind_KnownValue_PicksThatStore(string? value, string expected) =>
        Assert.Equal(expected, DurableHostingExtensions.ParseStoreKind(value).ToString());

    [Theory]
    [InlineData("Redis")]
    [InlineData("1")]
    public void ParseStoreKind_UnknownValue_FailsWithTheKeyName(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DurableHostingExtensions.ParseStoreKind(value));
        Assert.Contains("Durable:Store", error.Message, StringComparison.Ordinal);
    }
}
