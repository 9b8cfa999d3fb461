using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace CinchFlows.Functions.Tests.Notifications;

/// <summary>
/// A stand-in for Service Bus's AMQP face on 127.0.0.1: SASL ANONYMOUS, a <c>$cbs</c> node that records put-token
/// requests, and topics that accept a message only after a token was put for them.
/// </summary>
internal sealed class FakeServiceBus : IDisposable
{
    private readonly ContainerHost host;
    private readonly CbsNode cbs;

    public FakeServiceBus(params string[] topics)
    {
        Port = FreePort();
        cbs = new CbsNode(this);
        host = new ContainerHost(new Address($"amqp://127.0.0.1:{Port}"));
        host.Listeners[0].SASL.EnableAnonymousMechanism = true;
        host.RegisterRequestProcessor(CinchFlows.Functions.Notifications.CbsClient.NodeAddress, cbs);
        foreach (var topic in topics)
        {
            host.RegisterMessageProcessor(topic, new TopicNode(this, topic));
        }

        host.Open();
    }

    public int Port { get; }

    /// <summary>The status code the <c>$cbs</c> node answers. Default is 202.</summary>
    public int TokenStatusCode { get; set; } = 202;

    /// <summary>When set, topics reject every message with this condition.</summary>
    public string? RejectCondition { get; set; }

    public ConcurrentQueue<PutTokenRequest> TokenRequests { get; } = new();

    public ConcurrentQueue<ReceivedMessage> Received { get; } = new();

    public Address Address => new("127.0.0.1", Port, null, null, "/", "amqp");

    public void Dispose() => host.Close();

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private bool HasToken(string topic) =>
        TokenRequests.Any(r => r.Name == $"amqp://127.0.0.1/{topic}" && TokenStatusCode is 200 or 202);

    public sealed record PutTokenRequest(string? Operation, string? Type, string? Name, object? Expiration, string Token, string? ReplyTo);

    public sealed record ReceivedMessage(
        string Topic, string? MessageId, string? Subject, string? ContentType, bool Durable, IReadOnlyDictionary<string, object> Properties, byte[] Body);

    private sealed class CbsNode(FakeServiceBus bus) : IRequestProcessor
    {
        public int Credit => 10;

        public void Process(RequestContext requestContext)
        {
            var request = requestContext.Message;
            var properties = request.ApplicationProperties;
            bus.TokenRequests.Enqueue(new PutTokenRequest(
                properties["operation"] as string,
                properties["type"] as string,
                properties["name"] as string,
                properties["expiration"],
                (string)request.Body,
                request.Properties?.ReplyTo));

            var reply = new Message
            {
                Properties = new Properties { CorrelationId = request.Properties?.MessageId },
                ApplicationProperties = new ApplicationProperties(),
            };
            reply.ApplicationProperties["status-code"] = bus.TokenStatusCode;
            reply.ApplicationProperties["status-description"] = bus.TokenStatusCode == 401 ? "InvalidSignature: the token has an invalid signature." : "Accepted";
            requestContext.Complete(reply);
        }
    }

    private sealed class TopicNode(FakeServiceBus bus, string topic) : IMessageProcessor
    {
        public int Credit => 100;

        public void Process(MessageContext messageContext)
        {
            var message = messageContext.Message;
            if (bus.RejectCondition is { } condition)
            {
                messageContext.Complete(new Error(condition) { Description = "rejected by the test" });
                return;
            }

            if (!bus.HasToken(topic))
            {
                messageContext.Complete(new Error(ErrorCode.UnauthorizedAccess) { Description = "no token was put for this entity" });
                return;
            }

            bus.Received.Enqueue(new ReceivedMessage(
                topic,
                message.Properties?.MessageId,
                message.Properties?.Subject,
                message.Properties?.ContentType,
                message.Header?.Durable ?? false,
                message.ApplicationProperties?.Map.ToDictionary(p => (string)p.Key, p => p.Value) ?? [],
                (byte[])message.Body));
            messageContext.Complete();
        }
    }
}
