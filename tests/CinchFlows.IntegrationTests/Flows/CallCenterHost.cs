using CinchFlows.Standalone;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using CinchFlows.Web;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>
/// The whole service as production runs it, on this machine: the real HTTP host against Azurite, notifications on
/// the local storage-queue transport (one queue per topic, read back by <see cref="QueueInbox"/>), commands to a simulated telephony platform (signed, deduplicated by idempotency key), and
/// signed webhooks from it. The host can be restarted on the same storage, as a crashed worker would be.
/// </summary>
internal sealed class CallCenterHost : IAsyncDisposable
{
    public const string OpsKey = "e2e-ops-key-0123456789";
    public const string SupervisorKey = "e2e-supervisor-key-0123456789";
    public const string WebhookSecret = "whsec_ZTJlLXdlYmhvb2stc2VjcmV0LWZvci10ZXN0cw==";
    public const string CommandSecret = "whsec_ZTJlLWNvbW1hbmQtc2VjcmV0LWZvci10ZXN0cw==";

    public static readonly string[] Topics =
        ["agent-prompts", "handoff-notes", "claims-severity", "escalations", "supervisor-notifications", "callback-tasks", "ops-alerts"];

    private static readonly string[] TopicOptionNames =
        ["AgentPrompts", "HandoffNotes", "ClaimsSeverity", "Escalations", "SupervisorNotifications", "CallbackTasks", "OpsAlerts"];

    private readonly AzuriteFixture azurite;
    private readonly IDictionary<string, string?> settings;
    private WebApplication? app;

    private CallCenterHost(AzuriteFixture azurite, IDictionary<string, string?> settings, CommandReceiver receiver, QueueInbox inbox, IReadOnlyDictionary<string, string> queues)
    {
        this.azurite = azurite;
        this.settings = settings;
        Receiver = receiver;
        Inbox = inbox;
        Queues = queues;
    }

    public string TaskHub { get; } = "e" + Guid.NewGuid().ToString("N")[..16];

    public CommandReceiver Receiver { get; }

    public QueueInbox Inbox { get; }

    public IReadOnlyDictionary<string, string> Queues { get; }

    public WebhookSender Webhooks { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    /// <summary>The last status answer, for failure messages.</summary>
    public string LastStatusAnswer { get; private set; } = string.Empty;

    /// <summary>Answers every warm transfer to <paramref name="extension"/> (all when null) with "transfer connected".</summary>
    public IDisposable AnswerTransfers(string? extension = null) =>
        Receiver.OnActed(async (command, cancellationToken) =>
        {
            if (command.Type == "transfer.warm" && (extension is null || command.TargetExtension == extension))
            {
                using var response = await Webhooks.TransferConnectedAsync(command.CallId!, command.TargetExtension!, command.IdempotencyKey, cancellationToken);
            }
        });

    public static async Task<CallCenterHost> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null)
    {
        // Queues of this host's own (3-63 lowercase letters, digits and hyphens), so parallel hosts never read each other's.
        var prefix = "n" + Guid.NewGuid().ToString("N")[..12];
        var queues = Topics.ToDictionary(t => t, t => $"{prefix}-{t}", StringComparer.Ordinal);
        var receiver = await CommandReceiver.StartAsync(CommandSecret);
        var inbox = new QueueInbox(azurite.ConnectionString, queues);
        var host = new CallCenterHost(azurite, settings ?? new Dictionary<string, string?>(), receiver, inbox, queues);
        await host.StartAppAsync();
        return host;
    }

    /// <summary>Stops the app without waiting for anything in flight to finish, and starts a new one on the same storage.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    /// <summary>Calls the API with <paramref name="key"/>: an API key (reads), a person's token (<see cref="TestTokens"/>), by default the ops lead's.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string key = TestTokens.OpsPerson)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        TestTokens.Apply(request, key);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> StatusAsync(string instanceId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/instances/{instanceId}?showHistory=true");
        var text = await response.Content.ReadAsStringAsync();
        LastStatusAnswer = $"{(int)response.StatusCode} {text}";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => default,
            HttpStatusCode.OK or HttpStatusCode.Accepted => JsonDocument.Parse(text).RootElement.Clone(),
            var code => throw new HttpRequestException($"GET status of {instanceId}: {(int)code} {text}"),
        };
    }

    /// <summary>Waits until the instance is <paramref name="runtimeStatus"/> and returns its status body.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string instanceId, string runtimeStatus, TimeSpan? timeout = null)
    {
        JsonElement last = default;
        try
        {
            await Eventually.WaitUntilAsync(
                async () => (last = await StatusAsync(instanceId)).ValueKind == JsonValueKind.Object && last.GetProperty("runtimeStatus").GetString() == runtimeStatus,
                timeout ?? TimeSpan.FromSeconds(30),
                $"{instanceId} to be {runtimeStatus}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Last answer: {LastStatusAnswer}", ex);
        }

        return last;
    }

    /// <summary>Waits until the flow completes and returns its output.</summary>
    public async Task<JsonElement> OutputAsync(string instanceId, TimeSpan? timeout = null) =>
        (await WaitForStatusAsync(instanceId, "Completed", timeout)).GetProperty("output");

    /// <summary>The callback task as the supervisor API lists it, or default.</summary>
    public async Task<JsonElement> CallbackAsync(string callbackId)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/callbacks?top=1000", key: SupervisorKey);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return list.EnumerateArray().FirstOrDefault(e => e.GetProperty("callbackId").GetString() == callbackId);
    }

    /// <summary>Every row of every table this host's task hub wrote, as JSON text (for privacy scans).</summary>
    public async Task<string> EverythingStoredAsync()
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var text = new StringBuilder();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(TaskHub) >= 0 && t.Name.CompareTo(TaskHub + "~") < 0))
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                text.AppendLine(table.Name + ": " + JsonSerializer.Serialize(entity.ToDictionary(p => p.Key, p => p.Value?.ToString())));
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await SaveHistoriesAsync();
        await StopAppAsync();
        Inbox.Dispose();
        await Receiver.DisposeAsync();
    }

    /// <summary>
    /// With <c>CINCHFLOWS_REPLAY_SAVE</c> set to a folder, exports every flow of this host as the management API shows it
    /// with its history, one file each, for the replay check (how <c>Replay/Histories</c> was recorded: docs/flows.md).
    /// </summary>
    private async Task SaveHistoriesAsync()
    {
        if (app is null || Environment.GetEnvironmentVariable("CINCHFLOWS_REPLAY_SAVE") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        using var list = await SendAsync(HttpMethod.Get, "/api/instances?top=1000");
        foreach (var instance in (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
        {
            var id = instance.GetProperty("instanceId").GetString()!;
            using var status = await SendAsync(HttpMethod.Get, $"/api/instances/{Uri.EscapeDataString(id)}?showHistory=true");
            var json = System.Text.Json.Nodes.JsonNode.Parse(await status.Content.ReadAsStringAsync())!;
            await File.WriteAllTextAsync(Path.Combine(folder, id + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    private async Task StartAppAsync()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Durable:Store"] = "AzureStorage",
            ["Durable:TaskHubName"] = TaskHub,
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.250",
            ["Access:Keys:0:key"] = OpsKey,
            ["Access:Keys:0:role"] = "ops",
            ["Access:Keys:1:key"] = SupervisorKey,
            ["Access:Keys:1:role"] = "supervisor",
            ["Identity:Issuer"] = TestTokens.Issuer,
            ["Identity:Audience"] = TestTokens.Audience,
            ["Identity:SigningKey"] = TestTokens.SigningKey,
            ["Telephony:WebhookSecrets:0"] = WebhookSecret,
            ["Telephony:CommandsUrl"] = Receiver.CommandsUri.ToString(),
            ["Telephony:CommandSecret"] = CommandSecret,
            ["Notifications:Transport"] = "storage-queue",
            ["Flows:Commands:FirstRetryInterval"] = "00:00:00.200",
            ["CallbackRequests:QueueName"] = TaskHub + "-callback-requests",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < Topics.Length; i++)
        {
            configuration[$"Notifications:Topics:{TopicOptionNames[i]}"] = Queues[Topics[i]];
        }

        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        app = CinchFlowsApp.Build([], configure: builder => builder.Configuration.AddInMemoryCollection(configuration));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Webhooks = new WebhookSender(address, WebhookSecret);
    }

    private async Task StopAppAsync()
    {
        if (app is null)
        {
            return;
        }

        Http.Dispose();
        Webhooks.Dispose();
        await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        await app.DisposeAsync();
        app = null;
    }
}
