using CinchFlows.Standalone.Hosting;
using Microsoft.Extensions.Configuration;

namespace CinchFlows.Web.Tests.Hosting;

public sealed class ListenAddressTests
{
    [Fact]
    public void Resolve_NothingConfigured_IsTheDefaultLoopbackAddress() =>
        Assert.Equal("http://127.0.0.1:7071", ListenAddress.Resolve(Configuration()));

    [Theory]
    [InlineData("urls", "http://0.0.0.0:8080")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    public void Resolve_AddressConfigured_LeavesItInForce(string key, string value) =>
        Assert.Null(ListenAddress.Resolve(Configuration((key, value))));

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
