using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.Standalone;
using CinchFlows.Flows;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web.Management;
using CinchFlows.Web.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>
/// The real app (CinchFlowsApp) on Kestrel at a free loopback port with the in-memory store, configured with webhook
/// secrets, recording ports for telephony and notifications, and a log recorder. Send webhooks with <see cref="PostAsync(string, string?, long?, string?, string)"/>.
/// </summary>
internal sealed class WebhookTestApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookTestApp(WebApplication app, WebhookLogRecorder logs, RecordingTelephonyCommands commands, RecordingNotificationPublisher notifications)
    {
        this.app = app;
        Logs = logs;
        Commands = commands;
        Notifications = notifications;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    public WebhookLogRecorder Logs { get; }

    /// <summary>The instance's history as the management API reads it (the backend's field names), oldest first.</summary>
    public Task<IReadOnlyList<JsonObject>> HistoryAsync(string instanceId) =>
        app.Services.GetRequiredService<IInstanceHistory>().GetAsync(instanceId, CancellationToken.None);

    public RecordingTelephonyCommands Commands { get; }

    public RecordingNotificationPublisher Notifications { get; }

    /// <summary>The app's clock (a fake one when the test gave one).</summary>
    public DateTimeOffset Now => app.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>Starts the app; <paramref name="secrets"/> null means the primary and the rotated secret.</summary>
    public static async Task<WebhookTestApp> StartAsync(
        string[]? secrets = null,
        TimeProvider? clock = null,
        IWebhookReceiptStore? receipts = null)
    {
        var logs = new WebhookLogRecorder();
        var commands = new RecordingTelephonyCommands();
        var notifications = new RecordingNotificationPublisher();
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Durable:Store"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Trace",
        };
        secrets ??= [WebhookSecrets.Primary, WebhookSecrets.Rotated];
        for (var i = 0; i < secrets.Length; i++)
        {
            settings[$"Telephony:WebhookSecrets:{i}"] = secrets[i];
        }

        var app = CinchFlowsApp.Build(
            [],
            configure: builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);

                // Registered first, so the app's TryAdd registrations leave them in place.
                builder.Services.AddSingleton<ITelephonyCommands>(commands);
                builder.Services.AddSingleton<INotificationPublisher>(notifications);
                if (clock is not null)
                {
                    builder.Services.AddSingleton(clock);
                }

                if (receipts is not null)
                {
                    builder.Services.AddSingleton(receipts);
                }
            });
        await app.StartAsync();
        return new WebhookTestApp(app, logs, commands, notifications);
    }

    /// <summary>Signs <paramref name="body"/> (now, primary secret, fresh id unless given) and posts it.</summary>
    public async Task<HttpResponseMessage> PostAsync(
        string body,
        string? webhookId = null,
        long? timestamp = null,
        string? secret = null,
        string contentType = WebhookRequests.CloudEventsJson)
    {
        using var request = WebhookRequests.Signed(body, Now, webhookId, timestamp, secret, contentType);
        return await Client.SendAsync(request);
    }

    /// <summary>Sends a prepared request.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await Client.SendAsync(request);

    /// <summary>Posts a signed event and asserts the answer's status; returns the response body.</summary>
    public async Task<JsonElement> PostEventAsync(string type, object data, int expectedStatus = 202, string? webhookId = null)
    {
        using var response = await PostAsync(WebhookRequests.Event(type, data), webhookId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == (int)response.StatusCode, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Every instance with its input, output, custom status and history, as one text: to prove a value is stored nowhere.</summary>
    public async Task<string> DumpStoreAsync()
    {
        var dump = new StringBuilder();
        await foreach (var instance in Durable.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
        {
            dump.Append(instance.InstanceId).Append(' ').Append(instance.Name).Append(' ')
                .Append(instance.SerializedInput).Append(' ').Append(instance.SerializedOutput).Append(' ')
                .Append(instance.SerializedCustomStatus).Append(' ').Append(instance.FailureDetails?.ErrorMessage).AppendLine();
            foreach (var history in await HistoryAsync(instance.InstanceId))
            {
                dump.AppendLine(history.ToJsonString());
            }
        }

        foreach (var notification in Notifications.Published)
        {
            dump.AppendLine(JsonSerializer.Serialize(notification, FlowJson.Options));
        }

        foreach (var command in Commands.Sent)
        {
            dump.AppendLine(JsonSerializer.Serialize(command, FlowJson.Options));
        }

        return dump.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
