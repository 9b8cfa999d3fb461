using CinchFlows.Flows;
using CinchFlows.Web.Access;
using CinchFlows.Web.Actions;
using CinchFlows.Standalone.Hosting;
using CinchFlows.Web.Callbacks;
using CinchFlows.Web.Health;
using CinchFlows.Web.Hosting;
using CinchFlows.Web.Http;
using CinchFlows.Web.Management;
using CinchFlows.Web.Ops;
using CinchFlows.Web.StuckFlows;
using CinchFlows.Web.Supervision;
using CinchFlows.Web.Telemetry;
using CinchFlows.Web.Webhooks;
using Microsoft.DurableTask;

namespace CinchFlows.Standalone;

/// <summary>Builds the standalone CinchFlows web application: the call-center flows on the in-process Durable Task engine, and the routes both hosts serve.</summary>
public static class CinchFlowsApp
{
    /// <summary>Builds the application: engine, store, access control, the shared routes, the callback-request listener and the retention sweep.</summary>
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

            // Tests start it from their own folder: the settings files sit next to the assembly.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        if (ListenAddress.Resolve(builder.Configuration) is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        void RegisterAll(DurableTaskRegistry registry)
        {
            registry.AddCallCenterFlows();
            registerTasks?.Invoke(registry);
        }

        builder.AddStandaloneEngine(RegisterAll);
        builder.Services.AddCinchFlowsWeb(builder.Configuration, new OrchestratorCatalog(RegisterAll));
        builder.Services.AddHostedService<CallbackRequestListener>();
        builder.Services.AddHostedService<RetentionWorker>();
        builder.Services.AddHostedService<StuckFlowWorker>();
        builder.AddTelemetry();

        var app = builder.Build();
        app.UseApiResponseHeaders();
        app.UseApiErrorHandling();
        app.UseAuthentication();
        app.UseAuthorization();

        var api = app.MapGroup("/api");
        api.MapHealth();
        api.MapManagementApi();
        api.MapTelephonyWebhooks();
        api.MapSupervisorApi();
        api.MapFlowSearch();
        api.MapStuckFlows();
        api.MapFlowActions();
        api.MapFlowStory();
        api.MapOpsPage();
        api.MapMe();
        return app;
    }
}
