using System.Text.Json.Nodes;
using CinchFlows.Standalone;
using CinchFlows.Web.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CinchFlows.Web.Tests.Support;

/// <summary>The real app on Kestrel at a free loopback port, with the in-memory store: no Azurite needed.</summary>
public class InProcessApp : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private WebApplication? app;

    public InProcessApp()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>The app with <paramref name="settings"/> over the usual ones (for a fixture of its own, e.g. <see cref="AppServiceSignInApp"/>).</summary>
    protected InProcessApp(IReadOnlyDictionary<string, string?> settings) => this.settings = settings;

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    public DurableTaskClient Durable => Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The instance's history as the management API reads it (the backend's field names), oldest first.</summary>
    public Task<IReadOnlyList<JsonObject>> HistoryAsync(string instanceId) =>
        Services.GetRequiredService<IInstanceHistory>().GetAsync(instanceId, CancellationToken.None);

    public async Task InitializeAsync()
    {
        app = CinchFlowsApp.Build(
            [],
            registry => registry.AddOrchestrator<WaitingOrchestration>().AddOrchestrator<EchoOrchestration>().AddActivity<EchoActivity>(),
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Durable:Store"] = "InMemory",
                ["Access:Keys:0:key"] = TestKeys.Ops,
                ["Access:Keys:0:role"] = "ops",
                ["Access:Keys:1:key"] = TestKeys.Supervisor,
                ["Access:Keys:1:role"] = "supervisor",
                ["Logging:LogLevel:Default"] = "Warning",
            }).AddInMemoryCollection(TestTokens.HostSettings).AddInMemoryCollection(settings));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>A request with <paramref name="key"/>: an API key, a person's token (<see cref="TestTokens"/>), or by default the ops lead's token (actions need a person).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key = TestTokens.OpsPerson, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        TestTokens.Apply(request, key);
        return request;
    }

    /// <summary>A request with a bearer token (<see cref="TestTokens"/>) instead of a key.</summary>
    public async Task<HttpResponseMessage> SendAsPersonAsync(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = TestTokens.OpsPerson, HttpContent? content = null)
    {
        using var request = Request(method, path, key, content);
        return await Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
