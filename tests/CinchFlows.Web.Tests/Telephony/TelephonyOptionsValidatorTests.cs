using CinchFlows.Web.Telephony;

namespace CinchFlows.Web.Tests.Telephony;

public sealed class TelephonyOptionsValidatorTests
{
    private const string WebhookSecret = "whsec_ZGV2LXdlYmhvb2stc2VjcmV0LWNpbmNoZmxvd3MtMDE=";
    private const string CommandSecret = "whsec_ZGV2LWNvbW1hbmQtc2VjcmV0LWNpbmNoZmxvd3MtMDE=";

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new TelephonyOptions();

        Assert.Empty(options.WebhookSecrets);
        Assert.Equal(TimeSpan.FromMinutes(5), options.WebhookTolerance);
        Assert.Null(options.CommandsUrl);
        Assert.Null(options.CommandSecret);
        Assert.Equal(TimeSpan.FromSeconds(10), options.CommandTimeout);
    }

    [Fact]
    public void Validate_Defaults_Succeeds() => Assert.True(Validate(new TelephonyOptions()).Succeeded);

    [Fact]
    public void Validate_FullConfiguration_Succeeds() =>
        Assert.True(Validate(new TelephonyOptions
        {
            WebhookSecrets = [WebhookSecret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            CommandsUrl = new Uri("https://telephony.example/commands"),
            CommandSecret = CommandSecret,
        }).Succeeded);

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_***not-base64***")]
    [InlineData("")]
    public void Validate_BadWebhookSecret_FailsNamingTheIndexNotTheSecret(string secret)
    {
        var result = Validate(new TelephonyOptions { WebhookSecrets = [WebhookSecret, secret] });

        Assert.True(result.Failed);
        Assert.Contains("Telephony:WebhookSecrets:1", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Telephony:WebhookSecrets:0", result.FailureMessage, StringComparison.Ordinal);
        if (secret.Length > "whsec_".Length)
        {
            Assert.DoesNotContain(secret, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/commands")]
    [InlineData("ftp://telephony.example/commands")]
    [InlineData("file:///tmp/commands")]
    public void Validate_CommandsUrlNotAbsoluteHttp_Fails(string url)
    {
        var result = Validate(new TelephonyOptions { CommandsUrl = new Uri(url, UriKind.RelativeOrAbsolute), CommandSecret = CommandSecret });

        Assert.True(result.Failed);
        Assert.Contains("Telephony:CommandsUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://telephony.example/commands")]
    [InlineData("http://10.0.0.7:8080/commands")]
    public void Validate_CommandsUrlPlainHttpToAnotherHost_Fails(string url)
    {
        var result = Validate(new TelephonyOptions { CommandsUrl = new Uri(url), CommandSecret = CommandSecret });

        Assert.True(result.Failed);
        Assert.Contains("Telephony:CommandsUrl must be https", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7072/commands")]
    [InlineData("http://localhost:7072/commands")]
    [InlineData("http://[::1]:7072/commands")]
    [InlineData("https://telephony.example/commands")]
    public void Validate_CommandsUrlHttpsOrLoopback_Succeeds(string url) =>
        Assert.True(Validate(new TelephonyOptions { CommandsUrl = new Uri(url), CommandSecret = CommandSecret }).Succeeded);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_CommandsUrlWithoutSecret_Fails(string? secret)
    {
        var result = Validate(new TelephonyOptions { CommandsUrl = new Uri("http://127.0.0.1:7072/commands"), CommandSecret = secret });

        Assert.True(result.Failed);
        Assert.Contains("Telephony:CommandSecret is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadCommandSecret_Fails()
    {
        var result = Validate(new TelephonyOptions { CommandsUrl = new Uri("http://127.0.0.1:7072/commands"), CommandSecret = "whsec_%%%" });

        Assert.True(result.Failed);
        Assert.Contains("Telephony:CommandSecret is not a webhook secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveTimes_Fail()
    {
        var result = Validate(new TelephonyOptions { WebhookTolerance = TimeSpan.Zero, CommandTimeout = TimeSpan.FromSeconds(-1) });

        Assert.True(result.Failed);
        Assert.Contains("Telephony:WebhookTolerance", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Telephony:CommandTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(TelephonyOptions options) =>
        new TelephonyOptionsValidator().Validate(null, options);
}
