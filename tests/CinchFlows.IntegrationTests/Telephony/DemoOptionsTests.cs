using System.Text;
using CinchFlows.TelephonySimulator;
using CinchFlows.TelephonySimulator.Demo;
using Microsoft.Extensions.Configuration;

namespace CinchFlows.IntegrationTests.Telephony;

/// <summary>The simulator's <c>demo</c> command line: defaults that match the service's local development configuration.</summary>
public sealed class DemoOptionsTests
{
    [Fact]
    public void Defaults_are_the_local_development_values()
    {
        var options = DemoOptions.Parse([]);

        Assert.Equal(new Uri("http://127.0.0.1:7071"), options.Service);
        Assert.Equal("dev-webhook-secret-cinchflows-01", Encoding.UTF8.GetString(StandardWebhooks.DecodeSecret(options.WebhookSecret)));
        Assert.Equal("dev-command-secret-cinchflows-01", Encoding.UTF8.GetString(StandardWebhooks.DecodeSecret(options.CommandSecret)));
        Assert.Equal(7072, options.CommandPort);
        Assert.Equal("dev-ops-key", options.ApiKey);
        Assert.False(options.ServiceRequestInProgress);
        Assert.False(options.NoAnswer);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Timeout);
    }

    [Fact]
    public void Defaults_match_the_service_appsettings_Development_json()
    {
        // The Functions project's settings files are copied next to this assembly.
        var settings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json"), optional: false)
            .Build();
        var options = DemoOptions.Parse([]);

        Assert.Contains(
            settings.GetSection("Access:Keys").GetChildren(),
            k => k["key"] == options.ApiKey && k["role"] == "ops");

        // The Telephony section belongs to the lead's wiring; once it is there, the demo's defaults must agree with it.
        var telephony = settings.GetSection("Telephony");
        if (telephony.Exists())
        {
            Assert.Contains(options.WebhookSecret, telephony.GetSection("WebhookSecrets").GetChildren().Select(s => s.Value));
            Assert.Equal(options.CommandSecret, telephony["CommandSecret"]);
            Assert.Equal(new Uri($"http://127.0.0.1:{options.CommandPort}{CommandReceiver.CommandsPath}"), new Uri(telephony["CommandsUrl"]!));
        }
    }

    [Fact]
    public void Options_override_the_defaults_in_both_spellings()
    {
        var options = DemoOptions.Parse(
        [
            "--service", "http://127.0.0.1:9000", "--secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "--command-port", "9001",
            "--api-key", "k", "--scenario", "in-progress", "--no-answer", "--timeout=5",
        ]);

        Assert.Equal(new Uri("http://127.0.0.1:9000"), options.Service);
        Assert.Equal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", options.WebhookSecret);
        Assert.Equal(9001, options.CommandPort);
        Assert.Equal("k", options.ApiKey);
        Assert.True(options.ServiceRequestInProgress);
        Assert.True(options.NoAnswer);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
    }

    [Theory]
    [InlineData("--scenario", "both")]
    [InlineData("--command-port", "0")]
    [InlineData("--command-port", "x")]
    [InlineData("--service", "127.0.0.1:7071")]
    [InlineData("--secret", "whsec_***")]
    [InlineData("--api-key")]
    [InlineData("--unknown")]
    public void A_bad_command_line_is_a_usage_error(params string[] args)
    {
        var ex = Assert.Throws<DemoException>(() => DemoOptions.Parse(args));

        Assert.Equal(2, ex.ExitCode);
        Assert.Contains(args[0], ex.Message, StringComparison.Ordinal);
    }
}
