using Azure.Core;
using CinchFlows.Functions.Notifications;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class AmqpEndpointTests
{
    [Fact]
    public void Create_BrokerUrl_UsesItsCredentialsAndNoCbs()
    {
        var endpoint = AmqpEndpoint.Create(new AmqpNotificationOptions { ConnectionString = "amqp://user:pw@127.0.0.1:5999" }, TimeProvider.System);

        Assert.Null(endpoint.TokenProvider);
        Assert.Equal("user", endpoint.Address.User);
        Assert.Equal("pw", endpoint.Address.Password);
        Assert.Equal(5999, endpoint.Address.Port);
        Assert.Equal("amqp://127.0.0.1:5999", endpoint.ToString());
    }

    [Fact]
    public void Create_ServiceBusConnectionString_ConnectsOverTlsWithSasTokens()
    {
        var endpoint = AmqpEndpoint.Create(
            new AmqpNotificationOptions { ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=k" },
            new FakeTimeProvider());

        Assert.IsType<SharedAccessSignatureTokenProvider>(endpoint.TokenProvider);
        Assert.True(endpoint.Address.UseSsl);
        Assert.Equal(5671, endpoint.Address.Port);
        Assert.Null(endpoint.Address.User);
        Assert.Equal("contoso.servicebus.windows.net", endpoint.Host);
    }

    [Fact]
    public async Task Create_Namespace_ConnectsOverTlsWithEntraTokensForServiceBus()
    {
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.Is<TokenRequestContext>(r => r.Scopes.Single() == "https://servicebus.azure.net/.default"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("entra-token", DateTimeOffset.FromUnixTimeSeconds(1700003600)));

        var endpoint = AmqpEndpoint.Create(
            new AmqpNotificationOptions { FullyQualifiedNamespace = "sb://contoso.servicebus.windows.net/", Credential = credential.Object },
            TimeProvider.System);
        var token = await endpoint.TokenProvider!.GetTokenAsync(new CbsAudience(endpoint.Host, "escalations"), CancellationToken.None);

        Assert.Equal("amqps://contoso.servicebus.windows.net:5671", endpoint.ToString());
        Assert.Equal(new CbsToken(CbsToken.JwtType, "entra-token", DateTimeOffset.FromUnixTimeSeconds(1700003600)), token);
    }

    [Theory]
    [InlineData("contoso.servicebus.windows.net", "contoso.servicebus.windows.net")]
    [InlineData("contoso.servicebus.windows.net/", "contoso.servicebus.windows.net")]
    [InlineData("sb://contoso.servicebus.windows.net/", "contoso.servicebus.windows.net")]
    [InlineData("not a host", null)]
    [InlineData("", null)]
    public void NamespaceHost_AcceptsAHostOrAnSbUrl(string value, string? expected) =>
        Assert.Equal(expected, AmqpEndpoint.NamespaceHost(value));
}
