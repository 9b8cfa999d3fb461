using Azure.Messaging.ServiceBus;
using CinchFlows.Flows.Notifications;
using CinchFlows.Web.Notifications;
using CinchFlows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CinchFlows.Web.Tests.Notifications;

public sealed class NotificationServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddNotifications_NoConfiguration_SelectsStorageQueues()
    {
        await using var services = Build([]);

        Assert.IsType<StorageQueueNotificationPublisher>(services.GetRequiredService<INotificationPublisher>());
    }

    [Fact]
    public async Task AddNotifications_ServiceBusTransport_SelectsTheServiceBusPublisherWithoutConnecting()
    {
        await using var services = Build(new()
        {
            ["Notifications:Transport"] = "service-bus",
            ["Notifications:ServiceBus:ConnectionString"] = "Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=send;SharedAccessKey=k",
        });

        var publisher = services.GetRequiredService<INotificationPublisher>();

        Assert.IsType<ServiceBusNotificationPublisher>(publisher);
        Assert.Same(publisher, services.GetRequiredService<INotificationPublisher>());
    }

    [Fact]
    public async Task AddNotifications_BindsTopicsAndServiceBusSettings()
    {
        await using var services = Build(new()
        {
            ["Notifications:Transport"] = "service-bus",
            ["Notifications:ServiceBus:FullyQualifiedNamespace"] = "contoso.servicebus.windows.net",
            ["Notifications:ServiceBus:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["Notifications:ServiceBus:Retry:Mode"] = "Fixed",
            ["Notifications:ServiceBus:Retry:MaxRetries"] = "4",
            ["Notifications:ServiceBus:Retry:Delay"] = "00:00:01",
            ["Notifications:ServiceBus:Retry:MaxDelay"] = "00:00:08",
            ["Notifications:ServiceBus:Retry:TryTimeout"] = "00:00:05",
            ["Notifications:Topics:OpsAlerts"] = "ops-alerts-eu",
        });

        var options = services.GetRequiredService<IOptions<NotificationOptions>>().Value;

        Assert.True(options.UsesServiceBus);
        Assert.Equal("contoso.servicebus.windows.net", options.ServiceBus.FullyQualifiedNamespace);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.ServiceBus.ClientId);
        var retry = options.ServiceBus.Retry.ToRetryOptions();
        Assert.Equal(
            (ServiceBusRetryMode.Fixed, 4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(5)),
            (retry.Mode, retry.MaxRetries, retry.Delay, retry.MaxDelay, retry.TryTimeout));
        Assert.Equal("ops-alerts-eu", options.Topics.For(NotificationTopic.OpsAlerts));
        Assert.Equal("escalations", options.Topics.For(NotificationTopic.Escalations));
    }

    [Fact]
    public async Task AddNotifications_NamespaceWithClientId_BuildsAClientForThatNamespace()
    {
        await using var client = ServiceBusNotificationPublisher.CreateClient(new ServiceBusNotificationOptions
        {
            FullyQualifiedNamespace = " contoso.servicebus.windows.net ",
            ClientId = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal("contoso.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.Equal("cinchflows-notifications", client.Identifier);
    }

    [Fact]
    public async Task AddNotifications_InvalidSettings_FailStartupValidation()
    {
        await using var services = Build(new() { ["Notifications:Transport"] = "service-bus" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Notifications:ServiceBus:FullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
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
