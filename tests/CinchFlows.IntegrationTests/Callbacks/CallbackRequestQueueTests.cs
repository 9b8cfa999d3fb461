using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using CinchFlows.Flows;
using CinchFlows.Flows.SupervisorCallback;
using CinchFlows.IntegrationTests.Infrastructure;
using CinchFlows.IntegrationTests.Webhooks;

namespace CinchFlows.IntegrationTests.Callbacks;

/// <summary>The <c>callback-requests</c> queue on Azurite: the listener starts F3 for each request and poisons what can never succeed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallbackRequestQueueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string hub = azurite.NewTaskHub();
    private TelephonyHostedApp app = null!;
    private QueueClient queue = null!;
    private QueueClient poison = null!;

    private string QueueName => "cb-" + hub;

    public async Task InitializeAsync()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        queue = new QueueClient(azurite.ConnectionString, QueueName, options);
        poison = new QueueClient(azurite.ConnectionString, QueueName + "-poison", options);
        await queue.CreateIfNotExistsAsync();
        app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub, QueueName);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await queue.DeleteIfExistsAsync();
        await poison.DeleteIfExistsAsync();
    }

    [Fact]
    public async Task A_Base64_request_starts_F3_with_its_input()
    {
        await SendAsync(Base64("""{"requestId":"req-1","customerId":"cust-1","channel":"web","callId":"call-1"}"""));

        var instance = await WaitForInstanceAsync("callback-request-req-1");

        Assert.Equal(FlowNames.SupervisorCallback, instance.Name);
        var input = instance.ReadInputAs<SupervisorCallbackInput>()!;
        Assert.Equal(("cust-1", "call-1", "web", CallbackReason.ChannelRequest, false), (input.CustomerId, input.CallId, input.Channel, input.Reason, input.SupervisorAvailable));
        await WaitForEmptyAsync(queue);
    }

    [Fact]
    public async Task A_plain_JSON_request_without_a_call_works_too()
    {
        await SendAsync("""{"requestId":"req-2","customerId":"cust-2","channel":"email","ignored":"dropped"}""");

        var instance = await WaitForInstanceAsync("callback-request-req-2");

        var input = instance.ReadInputAs<SupervisorCallbackInput>()!;
        Assert.Null(input.CallId);
        Assert.Equal("email", input.Channel);
        Assert.DoesNotContain("dropped", instance.SerializedInput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_request_starts_nothing_new_and_is_removed()
    {
        await SendAsync(Base64("""{"requestId":"req-3","customerId":"cust-first","channel":"web"}"""));
        await WaitForInstanceAsync("callback-request-req-3");

        await SendAsync(Base64("""{"requestId":"req-3","customerId":"cust-second","channel":"web"}"""));
        await WaitForEmptyAsync(queue);

        var instance = await app.Durable.GetInstanceAsync("callback-request-req-3", getInputsAndOutputs: true);
        Assert.Equal("cust-first", instance!.ReadInputAs<SupervisorCallbackInput>()!.CustomerId);
        Assert.False((await poison.ExistsAsync()).Value && (await poison.PeekMessagesAsync()).Value.Length > 0);
    }

    [Theory]
    [InlineData("this is not json", "neither JSON nor Base64")]
    [InlineData("{\"requestId\":\"req-4\",\"channel\":\"web\"}", "'customerId' is required")]
    [InlineData("{\"requestId\":\"req/4\",\"customerId\":\"c\",\"channel\":\"web\"}", "'requestId' must be")]
    [InlineData("{\"requestId\":42,\"customerId\":\"c\",\"channel\":\"web\"}", "'requestId' must be a string")]
    [InlineData("[1,2,3]", "must be a JSON object")]
    [InlineData("{\"requestId\":", "not valid JSON")]
    public async Task A_malformed_request_goes_to_the_poison_queue_at_once_with_its_reason(string message, string reason)
    {
        await SendAsync(message);

        var envelope = await WaitForPoisonAsync();

        Assert.Contains(reason, envelope.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(message, envelope.GetProperty("originalMessage").GetString());
        Assert.Equal(QueueName, envelope.GetProperty("queue").GetString());
        Assert.Equal(1, envelope.GetProperty("dequeueCount").GetInt64());
        Assert.False(envelope.GetProperty("originalTruncated").GetBoolean());
        await WaitForEmptyAsync(queue);
    }

    [Fact]
    public async Task A_malformed_Base64_request_keeps_its_original_text_in_the_poison_queue()
    {
        var message = Base64("""{"requestId":"req-5","channel":"web"}""");

        await SendAsync(message);

        var envelope = await WaitForPoisonAsync();
        Assert.Equal(message, envelope.GetProperty("originalMessage").GetString());
        Assert.Contains("'customerId' is required", envelope.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_handed_out_more_than_five_times_is_poisoned_without_being_handled()
    {
        await app.DisposeAsync();
        await SendAsync(Base64("""{"requestId":"req-6","customerId":"c","channel":"web"}"""));
        for (var i = 0; i < 5; i++)
        {
            // Each receive hands the message out once more; making it visible again at once stands for a handler that died.
            var received = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
            Assert.NotNull(received);
            await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        app = await TelephonyHostedApp.StartAsync(azurite.ConnectionString, hub, QueueName);
        var envelope = await WaitForPoisonAsync();

        Assert.Equal(6, envelope.GetProperty("dequeueCount").GetInt64());
        Assert.Contains("Handed out 6 times", envelope.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Durable.GetInstanceAsync("callback-request-req-6"));
    }

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private async Task SendAsync(string text) => await queue.SendMessageAsync(text);

    private async Task<Microsoft.DurableTask.Client.OrchestrationMetadata> WaitForInstanceAsync(string instanceId)
    {
        Microsoft.DurableTask.Client.OrchestrationMetadata? instance = null;
        await Eventually.WaitUntilAsync(
            async () => (instance = await app.Durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true)) is not null,
            Patience,
            $"instance {instanceId}");
        return instance!;
    }

    private async Task<JsonElement> WaitForPoisonAsync()
    {
        JsonElement envelope = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                if (!(await poison.ExistsAsync()).Value)
                {
                    return false;
                }

                var messages = (await poison.PeekMessagesAsync()).Value;
                if (messages.Length == 0)
                {
                    return false;
                }

                envelope = JsonDocument.Parse(Convert.FromBase64String(messages[0].Body.ToString())).RootElement.Clone();
                return true;
            },
            Patience,
            $"a message on {poison.Name}");
        return envelope;
    }

    private static async Task WaitForEmptyAsync(QueueClient client) =>
        await Eventually.WaitUntilAsync(
            async () => (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            Patience,
            $"{client.Name} to be empty");
}
