using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CinchFlows.Flows;
using CinchFlows.Web.Management;
using CinchFlows.Web.Tests.Support;
using CinchFlows.Web.Webhooks;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Webhooks;

/// <summary>
/// The real app (CinchFlowsApp) on Kestrel at a free loopback port with the in-memory store, configured with webhook
/// secrets, recording ports for telephony and notifications, and a log recorder. Send webhooks with <see cref="PostAsync(string, string?, long?, string?, string)"/>.
/// </summary>
internal sealed class WebhookTestApp : RecordingTestApp
{
    private WebhookTestApp(Started started)
        : base(started)
    {
    }

    /// <summary>The instance's history as the management API reads it (the backend's field names), oldest first.</summary>
    public Task<IReadOnlyList<JsonObject>> HistoryAsync(string instanceId) =>
        Services.GetRequiredService<IInstanceHistory>().GetAsync(instanceId, CancellationToken.None);

    /// <summary>The app's clock (a fake one when the test gave one).</summary>
    public DateTimeOffset Now => Services.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>Starts the app; <paramref name="secrets"/> null means the primary and the rotated secret.</summary>
    public static async Task<WebhookTestApp> StartAsync(
        string[]? secrets = null,
        TimeProvider? clock = null,
        IWebhookReceiptStore? receipts = null)
    {
        secrets ??= [WebhookSecrets.Primary, WebhookSecrets.Rotated];
        var settings = secrets.Select((secret, i) => new KeyValuePair<string, string?>($"Telephony:WebhookSecrets:{i}", secret));
        return new WebhookTestApp(await StartHostAsync(
            settings,
            configure: builder =>
            {
                if (clock is not null)
                {
                    builder.Services.AddSingleton(clock);
                }

                if (receipts is not null)
                {
                    builder.Services.AddSingleton(receipts);
                }
            }));
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
}
