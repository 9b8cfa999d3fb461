using CinchFlows.Standalone;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CinchFlows.Web;
using CinchFlows.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CinchFlows.IntegrationTests.Http;

/// <summary>The real app (CinchFlowsApp) on Kestrel at a free loopback port, with a real HttpClient.</summary>
internal sealed class HostedApp : IAsyncDisposable
{
    public const string OpsKey = "integration-ops-key-0123456789";
    public const string SupervisorKey = "integration-supervisor-key-0123456789";

    private readonly WebApplication app;

    private HostedApp(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Starts the app; <paramref name="settings"/> add to or override the defaults, <paramref name="logs"/> sees its log.</summary>
    public static async Task<HostedApp> StartAsync(string connectionString, string taskHub, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var app = CinchFlowsApp.Build(
            [],
            registry => registry
                .AddOrchestrator<ApprovalOrchestration>()
                .AddOrchestrator<FailingOrchestration>()
                .AddOrchestrator<GatedOrchestration>()
                .AddActivity<RecordApprovalActivity>()
                .AddActivity<GatedActivity>(),
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(Defaults(connectionString, taskHub));
                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HostedApp(app, new Uri(address));
    }

    /// <summary>Calls the API with <paramref name="key"/>: an API key (reads), a person's token (<see cref="TestTokens"/>), by default the ops lead's.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? key = TestTokens.OpsPerson)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        TestTokens.Apply(request, key);
        return await Client.SendAsync(request);
    }

    /// <summary>Starts an instance and returns the management payload.</summary>
    public async Task<JsonElement> StartAsync(string orchestrator, string? instanceId, string? input = null)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/orchestrators/{orchestrator}/{instanceId}", input);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>GETs the status: its HTTP status and body (default for 404).</summary>
    public async Task<(HttpStatusCode Code, JsonElement Body)> GetStatusAsync(string instanceId, string query = "")
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/instances/{instanceId}{query}");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Waits until the instance shows <paramref name="runtimeStatus"/> and returns that status body.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string instanceId, string runtimeStatus, TimeSpan? timeout = null)
    {
        JsonElement last = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                var (code, body) = await GetStatusAsync(instanceId);
                last = body;
                return code != HttpStatusCode.NotFound && body.GetProperty("runtimeStatus").GetString() == runtimeStatus;
            },
            timeout ?? TimeSpan.FromSeconds(30),
            $"instance {instanceId} to be {runtimeStatus}");
        return last;
    }

    /// <summary>Stops the app within <paramref name="cancellationToken"/>, as the host does at shutdown.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static Dictionary<string, string?> Defaults(string connectionString, string taskHub) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["AzureWebJobsStorage"] = connectionString,
        ["Durable:Store"] = "AzureStorage",
        ["Durable:TaskHubName"] = taskHub,
        ["Durable:MaxQueuePollingInterval"] = "00:00:00.500",
        ["Access:Keys:0:key"] = OpsKey,
        ["Access:Keys:0:role"] = "ops",
        ["Access:Keys:1:key"] = SupervisorKey,
        ["Access:Keys:1:role"] = "supervisor",
        ["Identity:Issuer"] = TestTokens.Issuer,
        ["Identity:Audience"] = TestTokens.Audience,
        ["Identity:SigningKey"] = TestTokens.SigningKey,
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
