using CinchFlows.Standalone;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CinchFlows.Flows.Notifications;
using CinchFlows.Flows.Telephony;
using CinchFlows.Web;
using CinchFlows.Web.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.IntegrationTests.Webhooks;

/// <summary>
/// The real app on Kestrel (127.0.0.1, free port) over Azurite with a task hub, a webhook secret, the ops and supervisor
/// keys of <see cref="Http.HostedApp"/>, accepting telephony and notification ports, and a callback-requests queue of its
/// own. Send signed webhooks with <see cref="PostWebhookAsync"/>.
/// </summary>
internal sealed class TelephonyHostedApp : IAsyncDisposable
{
    public static readonly string Secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("cinchflows integration secret"));

    private readonly WebApplication app;

    private TelephonyHostedApp(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>Starts the app on <paramref name="taskHub"/>; <paramref name="callbackQueue"/> names its callback-requests queue.</summary>
    public static async Task<TelephonyHostedApp> StartAsync(string connectionString, string taskHub, string? callbackQueue = null)
    {
        var app = CinchFlowsApp.Build(
            [],
            configure: builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Urls"] = "http://127.0.0.1:0",
                    ["AzureWebJobsStorage"] = connectionString,
                    ["Durable:Store"] = "AzureStorage",
                    ["Durable:TaskHubName"] = taskHub,
                    ["Durable:MaxQueuePollingInterval"] = "00:00:00.500",
                    ["Telephony:WebhookSecrets:0"] = Secret,
                    ["Access:Keys:0:key"] = Http.HostedApp.OpsKey,
                    ["Access:Keys:0:role"] = "ops",
                    ["Access:Keys:1:key"] = Http.HostedApp.SupervisorKey,
                    ["Access:Keys:1:role"] = "supervisor",
                    ["Identity:Issuer"] = TestTokens.Issuer,
                    ["Identity:Audience"] = TestTokens.Audience,
                    ["Identity:SigningKey"] = TestTokens.SigningKey,
                    ["CallbackRequests:QueueName"] = callbackQueue ?? "cb-" + taskHub,
                    ["CallbackRequests:MaxPollingInterval"] = "00:00:00.250",
                    ["Logging:LogLevel:Default"] = "Warning",
                });
                builder.Services.AddSingleton<ITelephonyCommands, AcceptingTelephonyCommands>();
                builder.Services.AddSingleton<INotificationPublisher, AcceptingNotificationPublisher>();
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TelephonyHostedApp(app, new Uri(address));
    }

    /// <summary>A CloudEvents 1.0 structured-mode body.</summary>
    public static string Event(string type, object data) => JsonSerializer.Serialize(new
    {
        specversion = "1.0",
        id = Guid.NewGuid().ToString("N"),
        source = "/telephony/integration-tests",
        type,
        data,
    });

    /// <summary>Posts <paramref name="body"/> signed now with <see cref="Secret"/> under <paramref name="webhookId"/>.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string body, string webhookId)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/telephony/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents+json");
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(StandardWebhookSignature.DecodeSecret(Secret), webhookId, timestamp, bytes));
        return await Client.SendAsync(request);
    }

    /// <summary>Calls the API with <paramref name="key"/>: an API key (reads) or a person's token (<see cref="TestTokens"/>, actions).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        TestTokens.Apply(request, key);
        return await Client.SendAsync(request);
    }

    /// <summary>Waits until the instance exists and <paramref name="condition"/> holds; returns it with its input and output.</summary>
    public async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, string what, TimeSpan? timeout = null)
    {
        OrchestrationMetadata? last = null;
        await Infrastructure.Eventually.WaitUntilAsync(
            async () => (last = await Durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true)) is not null && condition(last),
            timeout ?? TimeSpan.FromSeconds(30),
            () => $"{instanceId} {what} (last seen: {last?.RuntimeStatus.ToString() ?? "none"} {last?.SerializedCustomStatus})");
        return last!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
