using Azure.Messaging.ServiceBus;
using CinchFlows.Web.Notifications;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Tests.Notifications;

public sealed class NotificationOptionsValidatorTests
{
    private const string ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=top-secret";

    [Fact]
    public void Defaults_AreStorageQueuesWithTheApiTopicNamesAndShortClientRetries()
    {
        var options = new NotificationOptions();

        Assert.Equal("storage-queue", options.Transport);
        Assert.True(options.UsesStorageQueues);
        Assert.False(options.UsesServiceBus);
        Assert.Equal("supervisor-notifications", options.Topics.SupervisorNotifications);
        var retry = options.ServiceBus.Retry.ToRetryOptions();
        Assert.Equal(
            (ServiceBusRetryMode.Exponential, 2, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)),
            (retry.Mode, retry.MaxRetries, retry.Delay, retry.MaxDelay, retry.TryTimeout));
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData(ConnectionString, null)]
    [InlineData(null, "contoso.servicebus.windows.net")]
    [InlineData(null, " contoso.servicebus.windows.net ")]
    public void ServiceBus_WithAConnectionStringOrANamespace_Succeeds(string? connectionString, string? fullyQualifiedNamespace) =>
        Assert.True(Validate(ServiceBus(connectionString, fullyQualifiedNamespace)).Succeeded);

    [Fact]
    public void ServiceBus_TransportNameIgnoresCase() =>
        Assert.True(Validate(ServiceBus(null, "contoso.servicebus.windows.net", transport: " Service-Bus ")).Succeeded);

    [Fact]
    public void ServiceBus_WithoutConnectionStringOrNamespace_FailsNamingBothKeys()
    {
        var result = Validate(ServiceBus(null, null));

        Assert.True(result.Failed);
        Assert.Contains("Notifications:ServiceBus:FullyQualifiedNamespace", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Notifications:ServiceBus:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceBus_WithBoth_Fails() =>
        Assert.Contains("not both", Validate(ServiceBus(ConnectionString, "contoso.servicebus.windows.net")).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=top-secret")]
    [InlineData("amqp://guest:top-secret@127.0.0.1:5672")]
    public void ServiceBus_BadConnectionString_FailsWithoutShowingTheKey(string connectionString)
    {
        var result = Validate(ServiceBus(connectionString, null));

        Assert.True(result.Failed);
        Assert.Contains("Notifications:ServiceBus:ConnectionString is not a Service Bus connection string", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a host")]
    [InlineData("sb://contoso.servicebus.windows.net")]
    [InlineData("contoso")]
    public void ServiceBus_BadNamespace_Fails(string fullyQualifiedNamespace) =>
        Assert.Contains("FullyQualifiedNamespace must be a host name", Validate(ServiceBus(null, fullyQualifiedNamespace)).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void ServiceBus_BadRetrySettings_FailEach()
    {
        var options = ServiceBus(null, "contoso.servicebus.windows.net");
        options.ServiceBus.Retry = new ServiceBusNotificationRetryOptions { MaxRetries = 11, Delay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1), TryTimeout = TimeSpan.Zero };

        var message = Validate(options).FailureMessage;

        Assert.Contains("Retry:MaxRetries must be 0 to 10", message, StringComparison.Ordinal);
        Assert.Contains("Retry:Delay must be positive and no longer than MaxDelay", message, StringComparison.Ordinal);
        Assert.Contains("Retry:TryTimeout must be positive", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetiredAmqpTransport_FailsPointingToServiceBus()
    {
        var result = Validate(new NotificationOptions { Transport = "amqp" });

        Assert.True(result.Failed);
        Assert.Contains("'amqp' was retired", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'service-bus'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTransport_Fails() =>
        Assert.Contains(
            "Notifications:Transport must be 'storage-queue', 'service-bus' or 'in-memory', not 'kafka'",
            Validate(new NotificationOptions { Transport = "kafka" }).FailureMessage,
            StringComparison.Ordinal);

    [Fact]
    public void StorageQueue_TopicThatIsNoQueueName_Fails()
    {
        var result = Validate(new NotificationOptions { Topics = { CallbackTasks = "Callback_Tasks" } });

        Assert.True(result.Failed);
        Assert.Contains("Notifications:Topics:CallbackTasks is 'Callback_Tasks'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceBus_TopicThatIsNoQueueName_IsFine() =>
        Assert.True(Validate(ServiceBus(null, "contoso.servicebus.windows.net", topic: "Callback.Tasks_v1")).Succeeded);

    [Fact]
    public void EmptyTopic_Fails() =>
        Assert.Contains(
            "Notifications:Topics:OpsAlerts must not be empty",
            Validate(new NotificationOptions { Topics = { OpsAlerts = " " } }).FailureMessage,
            StringComparison.Ordinal);

    private static NotificationOptions ServiceBus(string? connectionString, string? fullyQualifiedNamespace, string transport = "service-bus", string? topic = null)
    {
        var options = new NotificationOptions
        {
            Transport = transport,
            ServiceBus = { ConnectionString = connectionString, FullyQualifiedNamespace = fullyQualifiedNamespace },
        };
        if (topic is not null)
        {
            options.Topics.CallbackTasks = topic;
        }

        return options;
    }

    private static ValidateOptionsResult Validate(NotificationOptions options) => new NotificationOptionsValidator().Validate(null, options);
}
