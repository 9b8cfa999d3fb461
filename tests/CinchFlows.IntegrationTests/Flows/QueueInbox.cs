using Azure;
using Azure.Storage.Queues;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>
/// Reads every notification the service put on its topic queues (the local storage-queue transport on Azurite) and
/// keeps them, so tests wait on what was published and scan all of it.
/// </summary>
internal sealed class QueueInbox(string connectionString, IReadOnlyDictionary<string, string> queuesByTopic) : IDisposable
{
    private readonly List<(string Topic, ReceivedNotification Message)> messages = [];
    private readonly SemaphoreSlim draining = new(1, 1);

    /// <summary>Everything published so far, in the order it was read.</summary>
    public async Task<IReadOnlyList<(string Topic, ReceivedNotification Message)>> AllAsync()
    {
        await DrainAsync();
        lock (messages)
        {
            return [.. messages];
        }
    }

    public async Task<ReceivedNotification> WaitForAsync(string topic, Func<ReceivedNotification, bool> predicate, string what, TimeSpan? timeout = null)
    {
        ReceivedNotification? found = null;
        try
        {
            await Eventually.WaitUntilAsync(
                async () => (found = (await AllAsync()).Where(m => m.Topic == topic).Select(m => m.Message).FirstOrDefault(predicate)) is not null,
                timeout ?? TimeSpan.FromSeconds(30),
                $"{what} on {topic}");
        }
        catch (TimeoutException ex)
        {
            var got = string.Join(", ", (await AllAsync()).Select(m => m.Topic + "/" + m.Message.Subject + "/" + m.Message.MessageId));
            throw new TimeoutException($"{ex.Message} Got: {got}", ex);
        }

        return found!;
    }

    public void Dispose() => draining.Dispose();

    private async Task DrainAsync()
    {
        await draining.WaitAsync();
        try
        {
            foreach (var (topic, queueName) in queuesByTopic)
            {
                var queue = new QueueClient(connectionString, queueName);
                while (true)
                {
                    Azure.Storage.Queues.Models.QueueMessage[] received;
                    try
                    {
                        received = (await queue.ReceiveMessagesAsync(32)).Value;
                    }
                    catch (RequestFailedException ex) when (ex.Status == 404)
                    {
                        // The service creates a topic's queue with its first notification.
                        break;
                    }

                    if (received.Length == 0)
                    {
                        break;
                    }

                    foreach (var message in received)
                    {
                        lock (messages)
                        {
                            messages.Add((topic, ReceivedNotification.FromQueueText(message.Body.ToString())));
                        }

                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    }
                }
            }
        }
        finally
        {
            draining.Release();
        }
    }
}
