using CinchFlows.Functions.Notifications;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class AmqpConnectionStringTests
{
    [Fact]
    public void Parse_BrokerUrl_GivesHostPortAndDecodedCredentials()
    {
        var parsed = AmqpConnectionString.Parse("amqp://guest:p%40ss%3Aword@127.0.0.1:5673");

        Assert.False(parsed.UseTls);
        Assert.False(parsed.IsServiceBus);
        Assert.Equal("127.0.0.1", parsed.Host);
        Assert.Equal(5673, parsed.Port);
        Assert.Equal("guest", parsed.UserName);
        Assert.Equal("p@ss:word", parsed.Password);
        Assert.Equal("amqp://127.0.0.1:5673", parsed.ToString());
    }

    [Theory]
    [InlineData("amqp://broker.example", false, 5672)]
    [InlineData("amqps://broker.example", true, 5671)]
    [InlineData("AMQPS://broker.example:6000/", true, 6000)]
    public void Parse_BrokerUrlWithoutPort_UsesTheSchemesPort(string url, bool tls, int port)
    {
        var parsed = AmqpConnectionString.Parse(url);

        Assert.Equal(tls, parsed.UseTls);
        Assert.Equal(port, parsed.Port);
        Assert.Null(parsed.UserName);
    }

    [Fact]
    public void Parse_ServiceBusConnectionString_GivesTlsHostAndKey()
    {
        var parsed = AmqpConnectionString.Parse(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send-only;SharedAccessKey=abc+def/ghi=");

        Assert.True(parsed.IsServiceBus);
        Assert.True(parsed.UseTls);
        Assert.Equal("contoso.servicebus.windows.net", parsed.Host);
        Assert.Equal(5671, parsed.Port);
        Assert.Equal("send-only", parsed.SharedAccessKeyName);
        Assert.Equal("abc+def/ghi=", parsed.SharedAccessKey);
        Assert.DoesNotContain("abc+def", parsed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ServiceBusKeysInAnyCaseAndOrder_AreRead()
    {
        var parsed = AmqpConnectionString.Parse(" sharedaccesskey=k== ; ENDPOINT=sb://ns.servicebus.windows.net ; sharedAccessKeyName=n ;");

        Assert.Equal("ns.servicebus.windows.net", parsed.Host);
        Assert.Equal("n", parsed.SharedAccessKeyName);
        Assert.Equal("k==", parsed.SharedAccessKey);
    }

    [Fact]
    public void Parse_ServiceBusEmulator_UsesPlainAmqp()
    {
        var parsed = AmqpConnectionString.Parse(
            "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;");

        Assert.False(parsed.UseTls);
        Assert.Equal(5672, parsed.Port);
        Assert.True(parsed.IsServiceBus);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("just-a-host", "expected an amqp://")]
    [InlineData("amqp://", "not a valid absolute URL")]
    [InlineData("SharedAccessKeyName=n;SharedAccessKey=secret-value", "no Endpoint")]
    [InlineData("Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=secret-value", "sb:// URL")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n", "needs SharedAccessKeyName and SharedAccessKey")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=secret-value;EntityPath=t", "EntityPath")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;secret-value", "key=value")]
    public void TryParse_Invalid_SaysWhyWithoutTheSecret(string value, string expected)
    {
        Assert.False(AmqpConnectionString.TryParse(value, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AmqpConnectionString.Parse(value));
    }
}
