using System.Collections.Concurrent;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using CinchFlows.Flows.Notifications;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Notifications;

/// <summary>
/// Sends notifications to Service Bus topics with Microsoft's client: one <see cref="ServiceBusClient"/> for the
/// process, one <see cref="ServiceBusSender"/> per topic (created on its first notification, disposed with the
/// publisher at shutdown). A send that fails throws, so the publishing step is retried with the same message id and
/// duplicate detection drops a repeat; a message the topic can never take throws
/// <see cref="NotificationUndeliverableException"/>, which the flows do not retry.
/// </summary>
internal sealed class ServiceBusNotificationPublisher : INotificationPublisher, IAsyncDisposable
{
    private readonly ServiceBusClient client;
    private readonly NotificationTopicNames names;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<ServiceBusSender>> senders = new(StringComparer.Ordinal);
    private int disposed;

    /// <summary>A publisher configured by <c>Notifications</c> (validated at start); nothing connects until the first send.</summary>
    public ServiceBusNotificationPublisher(IOptions<NotificationOptions> options, ILogger<ServiceBusNotificationPublisher> logger)
        : this(CreateClient(Value(options).ServiceBus), Value(options).Topics, logger)
    {
    }

    /// <summary>A publisher on <paramref name="client"/>, which it disposes; tests hand in a mock.</summary>
    internal ServiceBusNotificationPublisher(ServiceBusClient client, NotificationTopicNames names, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(logger);
        this.client = client;
        this.names = names;
        this.logger = logger;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Returns once Service Bus accepted the message (the client retries a transient failure per
    /// <c>Notifications:ServiceBus:Retry</c>); throws on any other outcome so the calling activity retries.
    /// </remarks>
    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var topicName = names.For(notification.Topic).Trim();
        var message = ServiceBusNotificationMessage.Create(notification);
        var sender = senders.GetOrAdd(topicName, name => new Lazy<ServiceBusSender>(() => client.CreateSender(name))).Value;
        try
        {
            await sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessageSizeExceeded)
        {
            var reason =
                $"Notification {notification.MessageId} ({notification.Subject}) can never be sent to Service Bus topic '{topicName}': " +
                $"with a body of {message.Body.ToMemory().Length} bytes it is larger than the topic accepts ({ex.Message}). It is not retried.";
            logger.Undeliverable(notification.MessageId, notification.Subject, notification.Topic, topicName, ex);
            throw new NotificationUndeliverableException(reason, ex);
        }

        logger.Published(notification.MessageId, notification.Subject, notification.Topic, topicName);
    }

    /// <summary>Closes every sender, then the client; later publishes throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        foreach (var sender in senders.Values.Where(s => s.IsValueCreated))
        {
            await sender.Value.DisposeAsync().ConfigureAwait(false);
        }

        senders.Clear();
        await client.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The client <paramref name="options"/> describe: a namespace with Microsoft Entra ID, or a connection string.</summary>
    internal static ServiceBusClient CreateClient(ServiceBusNotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new ServiceBusClientOptions
        {
            RetryOptions = options.Retry.ToRetryOptions(),
            Identifier = "cinchflows-notifications",
        };
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new ServiceBusClient(options.ConnectionString.Trim(), clientOptions);
        }

        var credential = options.Credential
            ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ClientId) ? null : options.ClientId.Trim() });
        return new ServiceBusClient(options.FullyQualifiedNamespace!.Trim(), credential, clientOptions);
    }

    private static NotificationOptions Value(IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }
}
