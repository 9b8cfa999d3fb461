using CinchFlows.Web.Tests.Support;

namespace CinchFlows.Web.Tests.Management;

/// <summary>The real app with the in-memory store, the call-center flows and <see cref="WaitingOrchestration"/>, recording ports and a log recorder.</summary>
internal sealed class ManagementTestApp : RecordingTestApp
{
    private ManagementTestApp(Started started)
        : base(started)
    {
    }

    public static async Task<ManagementTestApp> StartAsync() =>
        new(await StartHostAsync(
            new Dictionary<string, string?>(TestTokens.HostSettings)
            {
                ["Access:Keys:0:key"] = TestKeys.Ops,
                ["Access:Keys:0:role"] = "ops",
            },
            registry => registry.AddOrchestrator<WaitingOrchestration>()));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = InProcessApp.Request(method, path, content: json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return await Client.SendAsync(request);
    }
}
