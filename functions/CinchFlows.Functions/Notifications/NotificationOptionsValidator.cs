using CinchFlows.Flows.Notifications;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Notifications;

/// <summary>Checks the transport, what the chosen transport needs, and every topic name.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var usesStorageQueues = string.Equals(options.Transport?.Trim(), NotificationOptions.StorageQueueTransport, StringComparison.OrdinalIgnoreCase);
        if (!usesStorageQueues && !options.UsesAmqp && !options.UsesInMemory)
        {
            failures.Add(
                $"Notifications:Transport must be '{NotificationOptions.StorageQueueTransport}', '{NotificationOptions.AmqpTransport}' or '{NotificationOptions.InMemoryTransport}', not '{options.Transport}'.");
        }

        if (options.UsesAmqp)
        {
            ValidateAmqp(options.Amqp ?? new AmqpNotificationOptions(), failures);
        }

        ValidateTopics(options.Topics ?? new NotificationTopicNames(), usesStorageQueues, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateAmqp(AmqpNotificationOptions amqp, List<string> failures)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(amqp.ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(amqp.FullyQualifiedNamespace);
        if (!hasConnectionString && !hasNamespace)
        {
            failures.Add(
                "Notifications:Transport is 'amqp', so set Notifications:Amqp:ConnectionString (an amqp:// or amqps:// broker URL, or a Service Bus " +
                "connection string) or Notifications:Amqp:FullyQualifiedNamespace (a Service Bus namespace reached with Microsoft Entra ID).");
        }
        else if (hasConnectionString && hasNamespace)
        {
            failures.Add("Set Notifications:Amqp:ConnectionString or Notifications:Amqp:FullyQualifiedNamespace, not both.");
        }
        else if (hasConnectionString && !AmqpConnectionString.TryParse(amqp.ConnectionString, out _, out var error))
        {
            // The message leaves the value out: it may hold a key or a password.
            failures.Add($"Notifications:Amqp:ConnectionString is not valid: {error}");
        }
        else if (hasNamespace && AmqpEndpoint.NamespaceHost(amqp.FullyQualifiedNamespace) is null)
        {
            failures.Add(
                $"Notifications:Amqp:FullyQualifiedNamespace must be a host name such as 'ns.servicebus.windows.net', not '{amqp.FullyQualifiedNamespace}'.");
        }

        if (string.IsNullOrWhiteSpace(amqp.AddressTemplate)
            || !amqp.AddressTemplate.Contains(AmqpNotificationOptions.TopicPlaceholder, StringComparison.Ordinal))
        {
            failures.Add(
                $"Notifications:Amqp:AddressTemplate must contain '{AmqpNotificationOptions.TopicPlaceholder}', e.g. '{{topic}}' for Service Bus or '/amq/queue/{{topic}}' for RabbitMQ; it is '{amqp.AddressTemplate}'.");
        }

        if (amqp.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Notifications:Amqp:OperationTimeout must be positive; it is {amqp.OperationTimeout}.");
        }
    }

    private static void ValidateTopics(NotificationTopicNames names, bool usesStorageQueues, List<string> failures)
    {
        foreach (var topic in Enum.GetValues<NotificationTopic>())
        {
            var topicName = names.For(topic);
            if (string.IsNullOrWhiteSpace(topicName))
            {
                failures.Add($"Notifications:Topics:{topic} must not be empty.");
            }
            else if (usesStorageQueues && !StorageQueueNotificationPublisher.IsValidQueueName(topicName.Trim()))
            {
                failures.Add(
                    $"Notifications:Topics:{topic} is '{topicName}', which is not a valid storage queue name (3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
            }
        }
    }
}
