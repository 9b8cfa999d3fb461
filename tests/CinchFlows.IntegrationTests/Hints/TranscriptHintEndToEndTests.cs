using CinchFlows.Standalone;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CinchFlows.Web;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.TelephonySimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Hints;

/// <summary>
/// Live-transcript hints on the standalone host against Azurite, with signed commands to the simulated platform: one
/// <c>agent.hint</c> per call and protocol, across a restart; F1 records the hint came first; and a canary phrase sent in
/// segments is found in no table row, queue message, log line or span.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TranscriptHintEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private const string WebhookSecret = "whsec_aGludHMtd2ViaG9vay1zZWNyZXQtZm9yLXRlc3Rz";
    private const string CommandSecret = "whsec_aGludHMtY29tbWFuZC1zZWNyZXQtZm9yLXRlc3Rz";

    private readonly string taskHub = azurite.NewTaskHub();
    private readonly ConcurrentQueue<string> logLines = new();
    private readonly ConcurrentQueue<string> spans = new();
    private CommandReceiver receiver = null!;
    private ActivityListener listener = null!;
    private WebApplication? app;
    private WebhookSender webhooks = null!;

    public async Task InitializeAsync()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Enqueue(a.DisplayName + " " + a.StatusDescription + " "
                + string.Join(' ', a.TagObjects.Select(t => t.Key + "=" + t.Value)) + " "
                + string.Join(' ', a.Events.Select(e => e.Name + string.Join(' ', e.Tags.Select(t => t.Key + "=" + t.Value))))),
        };
        ActivitySource.AddActivityListener(listener);
        receiver = await CommandReceiver.StartAsync(CommandSecret);
        await StartAppAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAppAsync();
        await receiver.DisposeAsync();
        listener.Dispose();
    }

    public void Dispose()
    {
        listener?.Dispose();
        webhooks?.Dispose();
    }

    [Fact]
    public async Task A_key_phrase_makes_exactly_one_hint_per_call_and_protocol_even_after_a_restart()
    {
        var call = "call-" + Guid.NewGuid().ToString("N")[..10];

        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-1", "customer", "My father is on dialysis at home."));
        var hint = await receiver.WaitForAsync(c => c.Type == "agent.hint" && c.CallId == call, TimeSpan.FromSeconds(30));
        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-1", "customer", "Did I say he's on dialysis?"));
        await StopAppAsync();
        await StartAppAsync();
        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-1", "customer", "Dialysis, three times a week."));
        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-1", "customer", "I'm calling my attorney."));
        await receiver.WaitForAsync(c => c.Type == "agent.hint" && c.CallId == call && c.Protocol == "legal", TimeSpan.FromSeconds(30));

        Assert.Equal(("agent-1", "medical-emergency", $"hint:{call}:medical-emergency"), (hint.AgentId, hint.Protocol, hint.IdempotencyKey));
        Assert.StartsWith("Possible Medical Emergency or High-Risk Situation", hint.Hint, StringComparison.Ordinal);
        Assert.Single(receiver.Received, c => c.Type == "agent.hint" && c.CallId == call && c.Protocol == "medical-emergency");
        Assert.Single(receiver.Received, c => c.Type == "agent.hint" && c.CallId == call && c.Protocol == "legal");
        var row = Assert.Single(await HintRowsAsync(call), r => r.RowKey == "medical-emergency");
        Assert.Equal(["HintedTime", "PartitionKey", "RowKey", "Timestamp", "odata.etag"], row.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_canary_phrase_in_segments_is_found_in_no_row_queue_message_log_line_or_span()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var call = "call-" + Guid.NewGuid().ToString("N")[..10];

        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-2", "customer", $"{canary} my wife is pregnant and I smell gas"));
        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-2", "agent", $"{canary} I understand"));
        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-2", "customer", $"{canary} a reporter is", final: false));
        await AssertAcceptedAsync(await webhooks.TranscriptSegmentAsync(call, "agent-2", "customer", canary));
        await receiver.WaitForAsync(c => c.Type == "agent.hint" && c.CallId == call, TimeSpan.FromSeconds(30));
        using (var flagged = await webhooks.MedicalEmergencyFlaggedAsync(call, "agent-2", "cust-2"))
        {
            Assert.Equal(HttpStatusCode.Accepted, flagged.StatusCode);
        }

        // F1 reads the hint and prompts the agent: wait for its transfer, so its rows and queue messages exist.
        var transfer = await receiver.WaitForAsync(c => c.Type == "transfer.warm" && c.CallId == call, TimeSpan.FromSeconds(60));
        using (var connected = await webhooks.TransferConnectedAsync(call, transfer.TargetExtension!, transfer.IdempotencyKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, connected.StatusCode);
        }

        var output = await WaitForOutputAsync("medical-" + call);
        Assert.True(output.GetProperty("hintedFirst").GetBoolean());

        Assert.True(!logLines.IsEmpty && !spans.IsEmpty, "nothing was recorded: the scan would prove nothing");
        Assert.Contains(logLines, l => l.Contains(call, StringComparison.Ordinal));
        Assert.DoesNotContain(canary, await EverythingStoredAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, await EveryQueueMessageAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(logLines, l => l.Contains(canary, StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Contains(canary, StringComparison.Ordinal));
        Assert.DoesNotContain(receiver.Received, c => c.RawJson.Contains(canary, StringComparison.Ordinal));
    }

    private static async Task AssertAcceptedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<List<TableEntity>> HintRowsAsync(string call)
    {
        var table = new TableClient(azurite.ConnectionString, taskHub + "Hints");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == call))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<JsonElement> WaitForOutputAsync(string instanceId)
    {
        var client = app!.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        Microsoft.DurableTask.Client.OrchestrationMetadata? instance = null;
        await Eventually.WaitUntilAsync(
            async () => (instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed,
            TimeSpan.FromSeconds(60),
            $"{instanceId} to complete");
        return JsonDocument.Parse(instance!.SerializedOutput!).RootElement.Clone();
    }

    private async Task<string> EverythingStoredAsync()
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var text = new StringBuilder();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(taskHub) >= 0 && t.Name.CompareTo(taskHub + "~") < 0))
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                text.AppendLine(table.Name + ": " + JsonSerializer.Serialize(entity.ToDictionary(p => p.Key, p => p.Value?.ToString())));
            }
        }

        Assert.Contains(taskHub + "Hints", text.ToString(), StringComparison.Ordinal);
        return text.ToString();
    }

    /// <summary>Every message (peeked, up to 32 a queue) in every queue of the account: the task hub's and the notification queues.</summary>
    private async Task<string> EveryQueueMessageAsync()
    {
        var service = new QueueServiceClient(azurite.ConnectionString);
        var text = new StringBuilder();
        await foreach (var queue in service.GetQueuesAsync())
        {
            foreach (var message in (await service.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                var body = message.Body.ToString();
                text.AppendLine(queue.Name + ": " + body);
                try
                {
                    text.AppendLine(Encoding.UTF8.GetString(Convert.FromBase64String(body)));
                }
                catch (FormatException)
                {
                    // Not base64: the text above is the message.
                }
            }
        }

        return text.ToString();
    }

    private async Task StartAppAsync()
    {
        app = CinchFlowsApp.Build(
            [],
            configure: builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Urls"] = "http://127.0.0.1:0",
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Durable:Store"] = "AzureStorage",
                    ["Durable:TaskHubName"] = taskHub,
                    ["Durable:MaxQueuePollingInterval"] = "00:00:00.250",
                    ["Telephony:WebhookSecrets:0"] = WebhookSecret,
                    ["Telephony:CommandsUrl"] = receiver.CommandsUri.ToString(),
                    ["Telephony:CommandSecret"] = CommandSecret,
                    ["Notifications:Transport"] = "storage-queue",
                    ["Flows:Commands:FirstRetryInterval"] = "00:00:00.200",
                    ["CallbackRequests:QueueName"] = taskHub + "-callback-requests",
                    ["Logging:LogLevel:Default"] = "Trace",
                });
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(new QueueLoggerProvider(logLines));
            });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        webhooks = new WebhookSender(address, WebhookSecret);
    }

    private async Task StopAppAsync()
    {
        if (app is null)
        {
            return;
        }

        webhooks.Dispose();
        await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        await app.DisposeAsync();
        app = null;
    }

    /// <summary>Keeps every formatted log line, with scopes' and exceptions' text.</summary>
    private sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                lines.Enqueue(category + " scope " + state);
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {state} {exception}");
        }
    }
}
