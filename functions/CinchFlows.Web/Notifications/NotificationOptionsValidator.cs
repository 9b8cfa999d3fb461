using Azure.Messaging.ServiceBus;
using CinchFlows.Flows.Notifications;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Notifications;

/// <summary>Checks the transport, what the chosen transport needs, and every topic name.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.Equals(options.Transport?.Trim(), NotificationOptions.RetiredAmqpTransport, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(
                $"Notifications:Transport '{NotificationOptions.RetiredAmqpTransport}' was retired with our own AMQP client: use '{NotificationOptions.ServiceBusTransport}' " +
                "and Notifications:ServiceBus:FullyQualifiedNamespace (and ClientId) or Notifications:ServiceBus:ConnectionString instead of Notifications:Amqp:*.");
        }
        else if (!options.UsesStorageQueues && !options.UsesServiceBus && !options.UsesInMemory)
        {
            failures.Add(
                $"Notifications:Transport must be '{NotificationOptions.StorageQueueTransport}', '{NotificationOptions.ServiceBusTransport}' or '{NotificationOptions.InMemoryTransport}', not '{options.Transport}'.");
        }

        if (options.UsesServiceBus)
        {
            ValidateServiceBus(options.ServiceBus ?? new ServiceBusNotificationOptions(), failures);
        }

        ValidateTopics(options.Topics ?? new NotificationTopicNames(), options.UsesStorageQueues, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateServiceBus(ServiceBusNotificationOptions serviceBus, List<string> failures)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(serviceBus.ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(serviceBus.FullyQualifiedNamespace);
        if (!hasConnectionString && !hasNamespace)
        {
            failures.Add(
                $"Notifications:Transport is '{NotificationOptions.ServiceBusTransport}', so set Notifications:ServiceBus:FullyQualifiedNamespace (a namespace host " +
                "such as 'ns.servicebus.windows.net', reached with managed identity) or Notifications:ServiceBus:ConnectionString.");
        }
        else if (hasConnectionString && hasNamespace)
        {
            failures.Add("Set Notifications:ServiceBus:FullyQualifiedNamespace or Notifications:ServiceBus:ConnectionString, not both.");
        }
        else if (hasConnectionString && !IsConnectionString(serviceBus.ConnectionString!))
        {
            // The message leaves the value out: it holds a key.
            failures.Add("Notifications:ServiceBus:ConnectionString is not a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).");
        }
        else if (hasNamespace && !IsHostName(serviceBus.FullyQualifiedNamespace!.Trim()))
        {
            failures.Add(
                $"Notifications:ServiceBus:FullyQualifiedNamespace must be a host name such as 'ns.servicebus.windows.net' (no scheme, port or path), not '{serviceBus.FullyQualifiedNamespace}'.");
        }

        var retry = serviceBus.Retry ?? new ServiceBusNotificationRetryOptions();
        if (retry.MaxRetries is < 0 or > 10)
        {
            failures.Add($"Notifications:ServiceBus:Retry:MaxRetries must be 0 to 10; it is {retry.MaxRetries}.");
        }

        if (retry.Delay <= TimeSpan.Zero || retry.MaxDelay < retry.Delay)
        {
            failures.Add($"Notifications:ServiceBus:Retry:Delay must be positive and no longer than MaxDelay; they are {retry.Delay} and {retry.MaxDelay}.");
        }

        if (retry.TryTimeout <= TimeSpan.Zero || retry.TryTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"Notifications:ServiceBus:Retry:TryTimeout must be positive and at most 1 hour; it is {retry.TryTimeout}.");
        }
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            var properties = ServiceBusConnectionStringProperties.Parse(value.Trim());
            return properties.Endpoint is not null
                && (!string.IsNullOrEmpty(properties.SharedAccessSignature) || !string.IsNullOrEmpty(properties.SharedAccessKey));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsHostName(string value) => Uri.CheckHostName(value) == UriHostNameType.Dns && value.Contains('.', StringComparison.Ordinal);

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
