using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;
using CinchFlows.Standalone;
using CinchFlows.Web.Tests.Support;
using CinchFlows.Web.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Web.Tests.Management;

/// <summary>The real app with the in-memory store, the call-center flows and <see cref="WaitingOrchestration"/>, recording ports and a log recorder.</summary>
internal sealed class ManagementTestApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private ManagementTestApp(WebApplication app, WebhookLogRecorder logs, RecordingTelephonyCommands commands)
    {
        this.app = app;
        Logs = logs;
        Commands = commands;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public WebhookLogRecorder Logs { get; }

    public RecordingTelephonyCommands Commands { get; }

    public DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<ManagementTestApp> StartAsync()
    {
        var logs = new WebhookLogRecorder();
        var commands = new RecordingTelephonyCommands();
        var app = CinchFlowsApp.Build(
            [],
            registry => registry.AddOrchestrator<WaitingOrchestration>(),
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Urls"] = "http://127.0.0.1:0",
                    ["Durable:Store"] = "InMemory",
                    ["Access:Keys:0:key"] = TestKeys.Ops,
                    ["Access:Keys:0:role"] = "ops",
                    ["Logging:LogLevel:Default"] = "Trace",
                }).AddInMemoryCollection(TestTokens.HostSettings);
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Services.AddSingleton<ITelephonyCommands>(commands);
                builder.Services.AddSingleton<INotificationPublisher>(new RecordingNotificationPublisher());
            });
        await app.StartAsync();
        return new ManagementTestApp(app, logs, commands);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = InProcessApp.Request(method, path, content: json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
