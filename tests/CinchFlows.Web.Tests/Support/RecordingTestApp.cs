using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;
using CinchFlows.Standalone;
using CinchFlows.Web.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Web.Tests.Support;

/// <summary>
/// The real app on Kestrel at a free loopback port with the in-memory store, recording ports for telephony and
/// notifications, and every log line (Trace and up) in a recorder: the host the management and webhook test apps share.
/// </summary>
internal abstract class RecordingTestApp : IAsyncDisposable
{
    private readonly WebApplication app;

    protected RecordingTestApp(Started started)
    {
        ArgumentNullException.ThrowIfNull(started);
        app = started.App;
        Logs = started.Logs;
        Commands = started.Commands;
        Notifications = started.Notifications;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public DurableTaskClient Durable => Services.GetRequiredService<DurableTaskClient>();

    public WebhookLogRecorder Logs { get; }

    public RecordingTelephonyCommands Commands { get; }

    public RecordingNotificationPublisher Notifications { get; }

    /// <summary>Starts the app with <paramref name="settings"/> over the defaults, <paramref name="tasks"/> beside the app's flows, and <paramref name="configure"/> last.</summary>
    protected static async Task<Started> StartHostAsync(
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<DurableTaskRegistry>? tasks = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new WebhookLogRecorder();
        var commands = new RecordingTelephonyCommands();
        var notifications = new RecordingNotificationPublisher();
        var app = CinchFlowsApp.Build(
            [],
            tasks,
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Urls"] = "http://127.0.0.1:0",
                    ["Durable:Store"] = "InMemory",
                    ["Logging:LogLevel:Default"] = "Trace",
                }).AddInMemoryCollection(settings ?? []);
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);

                // Registered first, so the app's TryAdd registrations leave them in place.
                builder.Services.AddSingleton<ITelephonyCommands>(commands);
                builder.Services.AddSingleton<INotificationPublisher>(notifications);
                configure?.Invoke(builder);
            });
        await app.StartAsync();
        return new Started(app, logs, commands, notifications);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>A started app and its recorders, for the derived app's constructor.</summary>
    protected sealed record Started(WebApplication App, WebhookLogRecorder Logs, RecordingTelephonyCommands Commands, RecordingNotificationPublisher Notifications);
}
