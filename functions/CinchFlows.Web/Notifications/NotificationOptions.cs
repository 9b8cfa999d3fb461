namespace CinchFlows.Web.Notifications;

/// <summary>Where notifications go and how the transport reaches it (configuration section <c>Notifications</c>).</summary>
internal sealed class NotificationOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Notifications";

    /// <summary>The transport that puts each topic on an Azure Storage queue of the app's own account.</summary>
    public const string StorageQueueTransport = "storage-queue";

    /// <summary>The transport that sends to Service Bus topics (Azure.Messaging.ServiceBus).</summary>
    public const string ServiceBusTransport = "service-bus";

    /// <summary>The retired name of the Service Bus transport (our own AMQP client); refused with a pointer to its successor.</summary>
    public const string RetiredAmqpTransport = "amqp";

    /// <summary>The transport that keeps notifications in this process only (the in-memory run mode and tests; nothing leaves the process).</summary>
    public const string InMemoryTransport = "in-memory";

    /// <summary>Which transport carries notifications: "storage-queue", "service-bus" or "in-memory". Default is "storage-queue".</summary>
    public string Transport { get; set; } = StorageQueueTransport;

    /// <summary>How the "service-bus" transport reaches its namespace. Default is empty settings (not valid for "service-bus").</summary>
    public ServiceBusNotificationOptions ServiceBus { get; set; } = new();

    /// <summary>The Service Bus topic (or storage queue) name of each notification topic. Default is the names of docs/api.md §3.</summary>
    public NotificationTopicNames Topics { get; set; } = new();

    /// <summary>True when <see cref="Transport"/> names the in-memory transport (case-insensitive).</summary>
    public bool UsesInMemory => string.Equals(Transport?.Trim(), InMemoryTransport, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <see cref="Transport"/> names the Service Bus transport (case-insensitive).</summary>
    public bool UsesServiceBus => string.Equals(Transport?.Trim(), ServiceBusTransport, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <see cref="Transport"/> names the storage-queue transport (case-insensitive).</summary>
    public bool UsesStorageQueues => string.Equals(Transport?.Trim(), StorageQueueTransport, StringComparison.OrdinalIgnoreCase);
}
