using CinchFlows.Flows.Notifications;

namespace CinchFlows.Functions.Notifications;

/// <summary>Turns a notification topic into its configured name and its AMQP target address.</summary>
internal sealed class NotificationAddressResolver(NotificationTopicNames names, string addressTemplate)
{
    /// <summary>Resolves with the topic names and address template of <paramref name="options"/>.</summary>
    public NotificationAddressResolver(NotificationOptions options)
        : this(options.Topics, options.Amqp.AddressTemplate)
    {
    }

    /// <summary>The configured name of <paramref name="topic"/> (a Service Bus topic, or a storage queue).</summary>
    public string TopicName(NotificationTopic topic) => names.For(topic).Trim();

    /// <summary>The AMQP target address of <paramref name="topic"/>: the address template with the topic name in it.</summary>
    public string Address(NotificationTopic topic) =>
        addressTemplate.Replace(AmqpNotificationOptions.TopicPlaceholder, TopicName(topic), StringComparison.Ordinal);
}
