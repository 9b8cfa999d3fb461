using CinchFlows.Flows.Notifications;
using CinchFlows.Functions.Notifications;
using CinchFlows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CinchFlows.Functions.Tests.Notifications;

public sealed class NotificationServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddNotifications_NoConfiguration_SelectsStorageQueues()
    {
        await using var services = Build([]);

        Assert.IsType<StorageQueueNotificationPublisher>(services.GetRequiredService<INotificationPublisher>());
    }

    [Fact]
    public async Task AddNotifications_AmqpTransport_SelectsTheAmqpPublisherWithoutConnecting()
    {
        await using var services = Build(new()
        {
            ["Notifications:Transport"] = "amqp",
            ["Notifications:Amqp:ConnectionString"] = "amqp://guest:guest@127.0.0.1:1",
        });

        var publisher = services.GetRequiredService<INotificationPublisher>();

        Assert.IsType<AmqpNotificationPublisher>(publisher);
        Assert.Same(publisher, services.GetRequiredService<INotificationPublisher>());
    }

    [Fact]
    public async Task AddNotifications_BindsTopicsAndAmqpSettings()
    {
        await using var services = Build(new()
        {
            ["Notifications:Transport"] = "amqp",
            ["Notifications:Amqp:FullyQualifiedNamespace"] = "contoso.servicebus.windows.net",
            ["Notifications:Amqp:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["Notifications:Amqp:AddressTemplate"] = "/amq/queue/{topic}",
            ["Notifications:Amqp:OperationTimeout"] = "00:00:05",
            ["Notifications:Topics:OpsAlerts"] = "ops-alerts-eu",
        });

        var options = services.GetRequiredService<IOptions<NotificationOptions>>().Value;

        Assert.True(options.UsesAmqp);
        Assert.Equal("contoso.servicebus.windows.net", options.Amqp.FullyQualifiedNamespace);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.Amqp.ClientId);
        Assert.Equal("/amq/queue/{topic}", options.Amqp.AddressTemplate);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Amqp.OperationTimeout);
        Assert.Equal("ops-alerts-eu", options.Topics.For(NotificationTopic.OpsAlerts));
        Assert.Equal("escalations", options.Topics.For(NotificationTopic.Escalations));
    }

    [Fact]
    public async Task AddNotifications_InvalidSettings_FailStartupValidation()
    {
        await using var services = Build(new() { ["Notifications:Transport"] = "amqp" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Notifications:Amqp:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();

        // The engine's registration (AddStandaloneEngine) provides the app's storage; nothing connects until a queue is used.
        services.AddSingleton(new AppStorage(new StorageAccountOptions(), new StorageRequestCounter(), "cinchflows"));
        services.AddNotifications();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
