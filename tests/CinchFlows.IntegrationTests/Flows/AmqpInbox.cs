using Amqp;
using CinchFlows.IntegrationTests.Infrastructure;

namespace CinchFlows.IntegrationTests.Flows;

/// <summary>Listens on every topic queue from the start and keeps what arrives, so tests wait on what was published.</summary>
internal sealed class AmqpInbox : IAsyncDisposable
{
    private readonly Connection connection;
    private readonly List<(string Topic, ReceivedAmqpMessage Message)> messages = [];

    private AmqpInbox(Connection connection) => this.connection = connection;

    public IReadOnlyList<(string Topic, ReceivedAmqpMessage Message)> All
    {
        get
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
    }

    public static async Task<AmqpInbox> StartAsync(string connectionString, IReadOnlyDictionary<string, string> queuesByTopic)
    {
        var connection = await new ConnectionFactory().CreateAsync(new Address(connectionString));
        var inbox = new AmqpInbox(connection);
        var session = new Session(connection);
        foreach (var (topic, queue) in queuesByTopic)
        {
            var receiver = new ReceiverLink(session, "inbox-" + queue, "/amq/queue/" + queue);
            receiver.Start(100, (link, message) =>
            {
                link.Accept(message);
                lock (inbox.messages)
                {
                    inbox.messages.Add((topic, ReceivedAmqpMessage.From(message)));
                }
            });
        }

        return inbox;
    }

    public IReadOnlyList<ReceivedAmqpMessage> On(string topic) => All.Where(m => m.Topic == topic).Select(m => m.Message).ToList();

    public IReadOnlyList<ReceivedAmqpMessage> ForFlow(string flowId) =>
        All.Where(m => m.Message.ApplicationProperties.TryGetValue("flowId", out var id) && (string?)id == flowId).Select(m => m.Message).ToList();

    public async Task<ReceivedAmqpMessage> WaitForAsync(string topic, Func<ReceivedAmqpMessage, bool> predicate, string what, TimeSpan? timeout = null)
    {
        ReceivedAmqpMessage? found = null;
        await Eventually.WaitUntilAsync(
            () => Task.FromResult((found = On(topic).FirstOrDefault(predicate)) is not null),
            timeout ?? TimeSpan.FromSeconds(30),
            $"{what} on {topic}; got: {string.Join(", ", All.Select(m => m.Topic + "/" + m.Message.Subject + "/" + m.Message.MessageId))}");
        return found!;
    }

    public async ValueTask DisposeAsync() => await connection.CloseAsync();
}
