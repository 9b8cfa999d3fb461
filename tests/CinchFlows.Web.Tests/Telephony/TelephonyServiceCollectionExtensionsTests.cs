using System.Net;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Telephony;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Tests.Telephony;

public sealed class TelephonyServiceCollectionExtensionsTests
{
    private const string CommandSecret = "whsec_ZGV2LWNvbW1hbmQtc2VjcmV0LWNpbmNoZmxvd3MtMDE=";

    [Fact]
    public void AddTelephonyCommands_BindsTheTelephonySection()
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["Telephony:WebhookSecrets:0"] = "whsec_ZGV2LXdlYmhvb2stc2VjcmV0LWNpbmNoZmxvd3MtMDE=",
            ["Telephony:WebhookSecrets:1"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ["Telephony:WebhookTolerance"] = "00:02:00",
            ["Telephony:CommandsUrl"] = "http://127.0.0.1:7072/commands",
            ["Telephony:CommandSecret"] = CommandSecret,
            ["Telephony:CommandTimeout"] = "00:00:03",
        }).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TelephonyOptions>>().Value;

        Assert.Equal(2, options.WebhookSecrets.Length);
        Assert.Equal(TimeSpan.FromMinutes(2), options.WebhookTolerance);
        Assert.Equal(new Uri("http://127.0.0.1:7072/commands"), options.CommandsUrl);
        Assert.Equal(CommandSecret, options.CommandSecret);
        Assert.Equal(TimeSpan.FromSeconds(3), options.CommandTimeout);
        Assert.IsType<SignedTelephonyCommandSender>(provider.GetRequiredService<ITelephonyCommands>());
    }

    [Fact]
    public void AddTelephonyCommands_NoTelephonySection_StillValid()
    {
        using var provider = Services([]).BuildServiceProvider();

        Assert.Empty(provider.GetRequiredService<IOptions<TelephonyOptions>>().Value.WebhookSecrets);
    }

    [Fact]
    public void AddTelephonyCommands_InvalidSection_FailsValidation()
    {
        using var provider = Services(new Dictionary<string, string?> { ["Telephony:CommandsUrl"] = "http://127.0.0.1:7072/commands" }).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TelephonyOptions>>().Value);
        Assert.Contains("Telephony:CommandSecret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTelephonyCommands_SenderUsesTheNamedClient()
    {
        var handler = StubCommandsHandler.Answering(HttpStatusCode.NoContent);
        var services = Services(new Dictionary<string, string?>
        {
            ["Telephony:CommandsUrl"] = "http://127.0.0.1:7072/commands",
            ["Telephony:CommandSecret"] = CommandSecret,
        });
        services.AddHttpClient(SignedTelephonyCommandSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ITelephonyCommands>()
            .SendAsync(TelephonyCommand.AgentPrompt("call-1", "agent-7", "medical-emergency", "call-1:prompt"), CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("http://127.0.0.1:7072/commands"), request.Uri);
        Assert.Equal("cmd_call-1:prompt", request.Headers["webhook-id"]);
        Assert.Equal(Timeout.InfiniteTimeSpan, provider.GetRequiredService<IHttpClientFactory>().CreateClient(SignedTelephonyCommandSender.HttpClientName).Timeout);
    }

    [Fact]
    public async Task AddTelephonyCommands_A307_IsAFailedSendAndNotFollowed()
    {
        var secondTargetHits = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/commands", () => Results.Redirect("/elsewhere", permanent: false, preserveMethod: true));
        receiver.MapPost("/elsewhere", () =>
        {
            Interlocked.Increment(ref secondTargetHits);
            return Results.NoContent();
        });
        await receiver.StartAsync();
        var address = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var provider = Services(new Dictionary<string, string?>
        {
            ["Telephony:CommandsUrl"] = address + "/commands",
            ["Telephony:CommandSecret"] = CommandSecret,
        }).BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<TelephonyCommandException>(() => provider.GetRequiredService<ITelephonyCommands>()
            .SendAsync(TelephonyCommand.AgentPrompt("call-1", "agent-7", "medical-emergency", "call-1:prompt"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, ex.StatusCode);
        Assert.Equal(0, Volatile.Read(ref secondTargetHits));
        await receiver.StopAsync();
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddTelephonyCommands();
        return services;
    }
}
