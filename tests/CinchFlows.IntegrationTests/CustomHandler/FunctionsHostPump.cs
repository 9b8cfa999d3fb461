using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace CinchFlows.IntegrationTests.CustomHandler;

/// <summary>
/// Plays the Functions host's queue trigger: takes messages off a queue, decodes the Base64 (host.json's
/// <c>messageEncoding</c>), posts the documented invocation payload to <c>POST /{FunctionName}</c>, deletes the message
/// when the answer is 2xx and leaves it to come back otherwise.
/// </summary>
internal sealed class FunctionsHostPump(HttpClient client, QueueClient queue, string functionName)
{
    public int Delivered { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Delivers what is visible now; returns how many messages were delivered.</summary>
    public async Task<int> DeliverVisibleAsync()
    {
        QueueMessage[] messages = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(5))).Value;
        foreach (var message in messages)
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
            using var response = await client.PostAsJsonAsync("/" + functionName, Invocation(functionName, text, message));
            if (response.IsSuccessStatusCode)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                Delivered++;
            }
            else
            {
                Failed++;
            }
        }

        return messages.Length;
    }

    /// <summary>Delivers until <paramref name="condition"/> holds or the deadline passes.</summary>
    public async Task DeliverUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} delivering {functionName} invocations until {what} ({Delivered} delivered, {Failed} failed).");
            }

            if (await DeliverVisibleAsync() == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>The payload the host posts for a queue trigger: the message under the binding's name, JSON-serialized, and its metadata.</summary>
    public static JsonObject Invocation(string functionName, string text, QueueMessage message) => new()
    {
        ["Data"] = new JsonObject { ["message"] = JsonValue.Create(text) },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = message.DequeueCount,
            ["ExpirationTime"] = message.ExpiresOn?.ToString("O"),
            ["Id"] = message.MessageId,
            ["InsertionTime"] = message.InsertedOn?.ToString("O"),
            ["NextVisibleTime"] = message.NextVisibleOn?.ToString("O"),
            ["PopReceipt"] = message.PopReceipt,
            ["sys"] = new JsonObject
            {
                ["MethodName"] = functionName,
                ["UtcNow"] = DateTime.UtcNow.ToString("O"),
                ["RandGuid"] = Guid.NewGuid().ToString(),
            },
        },
    };
}
