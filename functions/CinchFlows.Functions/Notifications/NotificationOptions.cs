namespace CinchFlows.Functions.Notifications;

/// <summary>Where notifications go and how the transport reaches it (configuration section <c>Notifications</c>).</summary>
internal sealed class NotificationOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Notifications";

    /// <summary>The transport that puts each topic on an Azure Storage queue of the app's own account.</summary>
    public const string StorageQueueTransport = "storage-queue";

    /// <summary>The transport that sends to Service Bus topics (or any AMQP 1.0 broker).</summary>
    public const string AmqpTransport = "amqp";

    /// <summary>The transport that keeps notifications in this process only (the in-memory run mode and tests; nothing leaves the process).</summary>
    public const string InMemoryTransport = "in-memory";

    /// <summary>Which transport carries notifications: "storage-queue", "amqp" or "in-memory". Default is "storage-queue".</summary>
    public string Transport { get; set; } = StorageQueueTransport;

    /// <summary>How the "amqp" transport reaches its broker. Default is empty settings (not valid for "amqp").</summary>
    public AmqpNotificationOptions Amqp { get; set; } = new();

    /// <summary>The topic (or queue) name of each notification topic. Default is the names of docs/api.md §3.</summary>
    public NotificationTopicNames Topics { get; set; } = new();

    /// <summary>True when <see cref="Transport"/> names the in-memory transport (case-insensitive).</summary>
    public bool UsesInMemory => string.Equals(Transport?.Trim(), InMemoryTransport, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <see cref="Transport"/> names the AMQP transport (case-insensitive).</summary>
    public bool UsesAmqp => string.Equals(Transport?.Trim(), AmqpTransport, StringComparison.OrdinalIgnoreCase);
}
