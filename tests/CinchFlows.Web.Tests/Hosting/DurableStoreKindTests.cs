using CinchFlows.DurableHub;
using CinchFlows.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace CinchFlows.Web.Tests.Hosting;

public sealed class DurableStoreKindTests
{
    [Theory]
    [InlineData(null, nameof(DurableStoreKind.AzureStorage))]
    [InlineData("", nameof(DurableStoreKind.AzureStorage))]
    [InlineData("AzureStorage", nameof(DurableStoreKind.AzureStorage))]
    [InlineData("inmemory", nameof(DurableStoreKind.InMemory))]
    [InlineData(" InMemory ", nameof(DurableStoreKind.InMemory))]
    public void ParseStoreKind_KnownValue_PicksThatStore(string? value, string expected) =>
        Assert.Equal(expected, DurableHubServiceCollectionExtensions.ParseStoreKind(value).ToString());

    [Theory]
    [InlineData("Redis")]
    [InlineData("1")]
    public void ParseStoreKind_UnknownValue_FailsWithTheKeyName(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DurableHubServiceCollectionExtensions.ParseStoreKind(value));
        Assert.Contains("Durable:Store", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("AzureStorage", false)]
    [InlineData("inMemory", true)]
    public void IsInMemory_ReadsDurableStore(string? value, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:Store"] = value }).Build();

        Assert.Equal(expected, WebServiceCollectionExtensions.IsInMemory(configuration));
    }
}
