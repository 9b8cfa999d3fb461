using Azure.Core;

namespace CinchFlows.Functions.Notifications;

/// <summary>How the AMQP transport reaches its broker (configuration section <c>Notifications:Amqp</c>).</summary>
internal sealed class AmqpNotificationOptions
{
    /// <summary>The placeholder in <see cref="AddressTemplate"/> that the topic name replaces.</summary>
    public const string TopicPlaceholder = "{topic}";

    /// <summary>A broker URL (<c>amqp://user:password@host:port</c>, <c>amqps://…</c>) or a Service Bus connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>). Default is null.</summary>
    /// <remarks>
    /// A URL authenticates with SASL PLAIN (Service Bus accepts a policy name and URL-encoded key there too); a Service Bus
    /// connection string connects to port 5671 with SASL ANONYMOUS and puts a SAS token per topic on <c>$cbs</c>.
    /// </remarks>
    public string? ConnectionString { get; set; }

    /// <summary>A Service Bus namespace host (<c>ns.servicebus.windows.net</c>) reached with a Microsoft Entra ID token. Default is null.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Client id of a user-assigned managed identity for <see cref="FullyQualifiedNamespace"/>. Default is null (system-assigned or developer credentials).</summary>
    public string? ClientId { get; set; }

    /// <summary>The credential for <see cref="FullyQualifiedNamespace"/>. Default is null: a <c>DefaultAzureCredential</c> honouring <see cref="ClientId"/>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The AMQP target address of a topic, <c>{topic}</c> standing for its name. Default is "{topic}" (Service Bus topics).</summary>
    /// <remarks>RabbitMQ's AMQP 1.0 plugin needs e.g. "/amq/queue/{topic}" or "/exchange/notifications/{topic}"; it accepts (and drops) a message for a queue that does not exist.</remarks>
    public string AddressTemplate { get; set; } = TopicPlaceholder;

    /// <summary>How long connecting, attaching a link, putting a token or waiting for the broker's disposition may take. Default is 30 seconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
