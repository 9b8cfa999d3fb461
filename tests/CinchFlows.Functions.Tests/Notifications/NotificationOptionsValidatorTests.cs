using CinchFlows.Functions.Notifications;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class NotificationOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreStorageQueuesWithTheApiTopicNames()
    {
        var options = new NotificationOptions();

        Assert.Equal("storage-queue", options.Transport);
        Assert.False(options.UsesAmqp);
        Assert.Equal("{topic}", options.Amqp.AddressTemplate);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Amqp.OperationTimeout);
        Assert.Equal("supervisor-notifications", options.Topics.SupervisorNotifications);
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5672", null)]
    [InlineData("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=k", null)]
    [InlineData(null, "contoso.servicebus.windows.net")]
    public void Amqp_WithAConnectionStringOrANamespace_Succeeds(string? connectionString, string? fullyQualifiedNamespace) =>
        Assert.True(Validate(Amqp(connectionString, fullyQualifiedNamespace)).Succeeded);

    [Fact]
    public void Amqp_TransportNameIgnoresCase() => Assert.True(Validate(Amqp("amqp://h", null, transport: " AMQP ")).Succeeded);

    [Fact]
    public void Amqp_WithoutConnectionStringOrNamespace_FailsNamingBothKeys()
    {
        var result = Validate(Amqp(null, null));

        Assert.True(result.Failed);
        Assert.Contains("Notifications:Amqp:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Notifications:Amqp:FullyQualifiedNamespace", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Amqp_WithBoth_Fails() =>
        Assert.Contains("not both", Validate(Amqp("amqp://h", "contoso.servicebus.windows.net")).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void Amqp_BadConnectionString_FailsWithoutShowingTheKey()
    {
        var result = Validate(Amqp("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=top-secret", null));

        Assert.True(result.Failed);
        Assert.Contains("Notifications:Amqp:ConnectionString is not valid", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Amqp_BadNamespace_Fails() =>
        Assert.Contains("FullyQualifiedNamespace must be a host name", Validate(Amqp(null, "not a host")).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("/amq/queue/notifications")]
    public void Amqp_TemplateWithoutTopic_Fails(string template)
    {
        var options = Amqp("amqp://h", null);
        options.Amqp.AddressTemplate = template;

        Assert.Contains("AddressTemplate must contain '{topic}'", Validate(options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Amqp_NonPositiveTimeout_Fails()
    {
        var options = Amqp("amqp://h", null);
        options.Amqp.OperationTimeout = TimeSpan.Zero;

        Assert.Contains("OperationTimeout must be positive", Validate(options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTransport_Fails() =>
        Assert.Contains(
            "Notifications:Transport must be 'storage-queue', 'amqp' or 'in-memory', not 'kafka'",
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
    public void Amqp_TopicThatIsNoQueueName_IsFine() =>
        Assert.True(Validate(Amqp("amqp://h", null, topic: "Callback.Tasks/v1")).Succeeded);

    [Fact]
    public void EmptyTopic_Fails() =>
        Assert.Contains(
            "Notifications:Topics:OpsAlerts must not be empty",
            Validate(new NotificationOptions { Topics = { OpsAlerts = " " } }).FailureMessage,
            StringComparison.Ordinal);

    private static NotificationOptions Amqp(string? connectionString, string? fullyQualifiedNamespace, string transport = "amqp", string? topic = null)
    {
        var options = new NotificationOptions
        {
            Transport = transport,
            Amqp = { ConnectionString = connectionString, FullyQualifiedNamespace = fullyQualifiedNamespace },
        };
        if (topic is not null)
        {
            options.Topics.CallbackTasks = topic;
        }

        return options;
    }

    private static ValidateOptionsResult Validate(NotificationOptions options) => new NotificationOptionsValidator().Validate(null, options);
}
