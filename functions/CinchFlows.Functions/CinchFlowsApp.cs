using System.Text.Json.Serialization;
using CinchFlows.Flows;
using CinchFlows.Functions.Hints;
using CinchFlows.Functions.Access;
using CinchFlows.Functions.Callbacks;
using CinchFlows.Functions.CustomHandler;
using CinchFlows.Functions.Health;
using CinchFlows.Functions.Hosting;
using CinchFlows.Functions.Http;
using CinchFlows.Functions.Management;
using CinchFlows.Functions.Notifications;
using CinchFlows.Functions.Ops;
using CinchFlows.Functions.Supervision;
using CinchFlows.Functions.Telemetry;
using CinchFlows.Functions.Telephony;
using CinchFlows.Functions.Webhooks;
using Microsoft.DurableTask;

namespace CinchFlows.Functions;

/// <summary>Builds the CinchFlows web application: the call-center flows, their triggers, and the management and health API over the durable runtime.</summary>
public static class CinchFlowsApp
{
    private const string NotificationTransportKey = NotificationOptions.SectionName + ":" + nameof(NotificationOptions.Transport);

    /// <summary>Builds the application: runtime, store, access control, management and health routes.</summary>
    /// <remarks>
    /// <paramref name="configure"/> runs first, right after the builder is created, so the configuration it adds (store,
    /// task hub, keys, <c>Urls</c>) is what the app's own registrations read. <paramref name="registerTasks"/> adds
    /// orchestrations and activities to the one registry the worker runs; do not add another Durable Task worker.
    /// </remarks>
    /// <param name="args">Command-line arguments (also a configuration source).</param>
    /// <param name="registerTasks">Extra orchestrations and activities, e.g. test flows.</param>
    /// <param name="configure">Extra configuration and services, applied before the app's own.</param>
    public static WebApplication Build(string[] args, Action<DurableTaskRegistry>? registerTasks = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(CinchFlowsApp).Assembly.GetName().Name,

            // The Functions host starts the executable from the app root, tests from their own folder: the settings files sit next to the assembly.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        if (ListenAddress.Resolve(builder.Configuration) is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());

            // Status bodies embed stored JSON a few levels down; leave room above what any body may carry.
            options.SerializerOptions.MaxDepth = 128;
        });
        builder.Services.AddApiErrorHandling();
        builder.Services.AddAccessControl();
        builder.Services.AddHealthCheck();
        builder.AddStandaloneEngine(registry =>
        {
            registry.AddCallCenterFlows();
            registerTasks?.Invoke(registry);
        });
        var inMemory = StandaloneEngineExtensions.IsInMemory(builder.Configuration);
        if (inMemory && string.IsNullOrWhiteSpace(builder.Configuration[NotificationTransportKey]))
        {
            // Nothing to send to without a storage account: keep notifications in the process (and the log).
            builder.Configuration[NotificationTransportKey] = NotificationOptions.InMemoryTransport;
        }

        builder.Services.AddCallCenterFlows(inMemory);
        builder.Services.AddNotifications();
        builder.Services.AddTelephonyCommands();
        builder.Services.AddTelephonyWebhooks(builder.Configuration);
        builder.Services.AddTranscriptHints();
        builder.Services.AddCallbackRequests(builder.Configuration);
        builder.Services.AddCustomHandler(builder.Configuration);
        builder.AddTelemetry();

        var app = builder.Build();
        app.UseApiErrorHandling();
        app.UseAuthentication();
        app.UseAuthorization();

        var api = app.MapGroup("/api");
        api.MapHealth();
        api.MapManagementApi();
        api.MapTelephonyWebhooks();
        api.MapSupervisorApi();
        app.MapCustomHandler();
        api.MapFlowSearch();
        app.MapOpsPage();
        return app;
    }
}
