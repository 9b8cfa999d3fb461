using System.Net;
using System.Security.Cryptography;
using System.Text;
using CinchFlows.Functions.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class SharedAccessSignatureTests
{
    private const string Resource = "http://contoso.servicebus.windows.net/agent-prompts";
    private const string KeyName = "RootManageSharedAccessKey";
    private const string Key = "NotARealKey+OnlyForTests/0123456789abcdefg=";
    private static readonly DateTimeOffset Expiry = DateTimeOffset.FromUnixTimeSeconds(1700003600);

    [Fact]
    public void Build_KnownInputs_GivesTheHandComputedToken()
    {
        // Computed independently (Python: quote_plus, hmac.new(key.encode(), ..., sha256), b64encode).
        const string expected =
            "SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fagent-prompts" +
            "&sig=oMCXLv%2FoU4kTLcFq8gxc1EEt%2FQQjHB0UGmnnT%2BI6MjU%3D&se=1700003600&skn=RootManageSharedAccessKey";

        Assert.Equal(expected, SharedAccessSignature.Build(Resource, KeyName, Key, Expiry));
    }

    [Fact]
    public void Build_Signature_IsTheHmacOfTheEncodedResourceAndExpiryKeyedWithTheKeyText()
    {
        var token = SharedAccessSignature.Build(Resource, KeyName, Key, Expiry);
        var fields = Fields(token);

        var expected = Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Key),
            Encoding.UTF8.GetBytes(WebUtility.UrlEncode(Resource) + "\n1700003600")));
        Assert.Equal(expected, WebUtility.UrlDecode(fields["sig"]));
        Assert.Equal(Resource, WebUtility.UrlDecode(fields["sr"]));
        Assert.Equal("1700003600", fields["se"]);
        Assert.Equal(KeyName, fields["skn"]);
    }

    [Fact]
    public void Build_AnotherKey_GivesAnotherSignature() =>
        Assert.NotEqual(
            Fields(SharedAccessSignature.Build(Resource, KeyName, Key, Expiry))["sig"],
            Fields(SharedAccessSignature.Build(Resource, KeyName, Key + "x", Expiry))["sig"]);

    [Fact]
    public async Task TokenProvider_SignsTheAudienceResourceForOneHourFromNow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000000));
        var provider = new SharedAccessSignatureTokenProvider(KeyName, Key, time);

        var token = await provider.GetTokenAsync(new CbsAudience("contoso.servicebus.windows.net", "agent-prompts"), CancellationToken.None);

        Assert.Equal(CbsToken.SharedAccessSignatureType, token.Type);
        Assert.Equal(Expiry, token.ExpiresAt);
        Assert.Equal(SharedAccessSignature.Build(Resource, KeyName, Key, Expiry), token.Value);
        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Audience_NameIsAmqpAndResourceIsLowerCaseHttp()
    {
        var audience = new CbsAudience("contoso.servicebus.windows.net", "/Agent-Prompts");

        Assert.Equal("amqp://contoso.servicebus.windows.net/Agent-Prompts", audience.Name);
        Assert.Equal("http://contoso.servicebus.windows.net/agent-prompts", audience.Resource);
    }

    internal static Dictionary<string, string> Fields(string token)
    {
        const string prefix = "SharedAccessSignature ";
        Assert.StartsWith(prefix, token, StringComparison.Ordinal);
        return token[prefix.Length..].Split('&')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }
}
